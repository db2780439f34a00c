import type { Node } from "ts-morph";
import path from "node:path";

export type Severity = "error" | "warning";

/**
 * Every diagnostic the compiler can give, with its stable code. Codes never change meaning;
 * retired codes are not reused. Each one has a test that triggers it (test/compiler/diagnostics.test.ts).
 */
export const DIAGNOSTICS = {
  D2S1001: "cannot read the input file",
  D2S1002: "no durable handler found",
  D2S1003: "TypeScript error in the input",
  D2S1004: "JavaScript handlers are not supported yet",
  D2S2001: "durable operation inside a step body",
  D2S2002: "variable of the handler mutated inside a step body",
  D2S2003: "non-deterministic call outside a step",
  D2S2004: "durable call the compiler cannot resolve statically",
  D2S2005: "value cannot cross a durable boundary as JSON",
  D2S2006: "syntax outside the supported set",
  D2S2007: "durable operation in an unsupported position",
  D2S2008: "unsupported option of a durable operation",
  D2S2009: "durable operation not supported yet",
  D2S2010: "recursive durable helper",
  D2S2011: "the DurableContext escapes",
  D2S2012: "an object returned inside try is changed by a finally block with durable operations",
  D2S2013: "a map function or parallel branch assigns a local of the enclosing function",
  D2S2014: "a map or parallel can complete before every item has ended (warning)",
  D2S2015: "createCallback in a shape that cannot be mapped to waitForTaskToken",
  D2S2016: "the state machine definition is over the Step Functions size quota",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

export function diagnosticAt(node: Node, code: DiagnosticCode, message: string, hint?: string, severity: Severity = "error"): Diagnostic {
  const sourceFile = node.getSourceFile();
  const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
  return { code, severity, file: sourceFile.getFilePath(), line, column, message, hint };
}

export function diagnosticInFile(file: string, code: DiagnosticCode, message: string, hint?: string): Diagnostic {
  return { code, severity: "error", file, line: 1, column: 1, message, hint };
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

export function fail(node: Node, code: DiagnosticCode, message: string, hint?: string): never {
  throw new CompileError(diagnosticAt(node, code, message, hint));
}
