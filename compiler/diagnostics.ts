import type { Node } from "ts-morph";
import path from "node:path";
import { TABLE, type DiagnosticCode, type DiagnosticText, type Severity } from "./diagnostics/table.ts";

export { TABLE, type DiagnosticCode, type Severity };

/** A message of the table with its code and severity, ready to be placed at a node or a file. */
export interface Message<C extends DiagnosticCode = DiagnosticCode> extends DiagnosticText {
  code: C;
  severity: Severity;
}

export interface Diagnostic extends Message {
  file: string;
  line: number;
  column: number;
}

type Variants<C extends DiagnosticCode> = (typeof TABLE)[C]["variants"];
type Bound<C extends DiagnosticCode, F> = F extends (...args: infer P) => DiagnosticText ? (...args: P) => Message<C> : never;

/** `messages.D2S2008.unknownRetryOption({ name })`: the table's variants, each giving a Message of its code. */
export type Messages = { [C in DiagnosticCode]: { [V in keyof Variants<C>]: Bound<C, Variants<C>[V]> } };

export const messages = Object.fromEntries(
  Object.entries(TABLE).map(([code, entry]) => [
    code,
    Object.fromEntries(
      Object.entries(entry.variants).map(([name, variant]) => [
        name,
        (params: never) => {
          const { message, hint } = (variant as (p: never) => DiagnosticText)(params);
          return { code, severity: entry.severity, message, hint };
        },
      ]),
    ),
  ]),
) as unknown as Messages;

/** The message at a position of a file (line and column from 1). */
export function diagnosticAtPosition(m: Message, file: string, line: number, column: number): Diagnostic {
  return { code: m.code, severity: m.severity, file, line, column, message: m.message, hint: m.hint };
}

export function diagnosticAt(node: Node, m: Message): Diagnostic {
  const sourceFile = node.getSourceFile();
  const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
  return diagnosticAtPosition(m, sourceFile.getFilePath(), line, column);
}

export function diagnosticInFile(file: string, m: Message): Diagnostic {
  return diagnosticAtPosition(m, file, 1, 1);
}

/** `file:line:col - error D2S2001: message` plus an indented hint, as tsc prints. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const file = path.relative(cwd, d.file) || d.file;
  const head = `${file}:${d.line}:${d.column} - ${d.severity} ${d.code}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/** Raised inside the compiler for a problem with the input; collected and reported, never a stack trace. */
export class CompileError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export function fail(node: Node, m: Message): never {
  throw new CompileError(diagnosticAt(node, m));
}
