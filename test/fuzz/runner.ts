import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compileFile } from "../../compiler/index.ts";
import { CompileError } from "../../compiler/diagnostics.ts";
import { verifyScenario, type Verification } from "../../harness/verify.ts";
import { OracleError, SdkRunnerError } from "../../harness/oracle/index.ts";
import type { GeneratedProgram } from "./generator/index.ts";
import type { ExpectedRefusal } from "./generator/ast.ts";

/**
 * Runs one generated program: writes it to a temporary .ts file inside the project (so that
 * `@aws/durable-execution-sdk-js` resolves), compiles it and verifies its scenario against the
 * SDK (harness/verify.ts), then deletes the file.
 */

export const WORK_DIR = path.join(import.meta.dirname, ".work");

export type Outcome =
  | { kind: "equal" }
  /** The program had to be refused (GeneratedProgram.expectRefusal) and was, with that code. */
  | { kind: "refused"; code: string }
  /** The program had to be refused and compiled without that diagnostic. */
  | { kind: "missed-refusal"; message: string }
  /** The compiled machine and the SDK disagree. */
  | { kind: "divergence"; verification: Verification }
  /** The compiler rejected the program: a generator bug unless the program is supported. */
  | { kind: "compile-error"; message: string }
  /**
   * The SDK's own test runner crashed (a wait of NaN seconds): the SDK defines no outcome, so
   * there is nothing to compare; counted apart, not as a failure of ours.
   */
  | { kind: "no-sdk-outcome"; message: string }
  /** The oracle could not run it (e.g. a callback that would wait forever): a generator bug. */
  | { kind: "oracle-error"; message: string }
  /** Anything else thrown by compile, emulator or oracle (e.g. an internal compiler error). */
  | { kind: "crash"; message: string };

/** Outcome kinds that are not a failure. */
export function passed(kind: string): boolean {
  return kind === "equal" || kind === "refused" || kind === "no-sdk-outcome";
}

let sequence = 0;

export async function checkProgram(program: GeneratedProgram, options: { keepOracle?: boolean } = {}): Promise<Outcome> {
  mkdirSync(WORK_DIR, { recursive: true });
  const file = path.join(WORK_DIR, `p${process.pid}-${sequence++}.ts`);
  writeFileSync(file, program.source);
  try {
    const refusal = program.expectRefusal ? expectedRefusal(file, program.expectRefusal) : undefined;
    if (refusal) return refusal;
    const verification = await verifyScenario(file, program.scenario, { keepOracle: options.keepOracle });
    return verification.equal ? { kind: "equal" } : { kind: "divergence", verification };
  } catch (err) {
    if (err instanceof CompileError) return { kind: "compile-error", message: `${err.diagnostic.code} ${err.diagnostic.message} (line ${err.diagnostic.line})` };
    if (err instanceof SdkRunnerError) return { kind: "no-sdk-outcome", message: err.message };
    if (err instanceof OracleError) return { kind: "oracle-error", message: err.message };
    return { kind: "crash", message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Compiles only: a program that must be refused has nothing to compare once it is. Refused with
 * any of the codes asked for is right (the compiler reports the first it meets). Compiled where
 * none of the operations they were asked for is in the machine (TypeScript-unreachable code, which
 * the compiler drops): nothing was due, and undefined tells the caller to verify it as usual.
 */
function expectedRefusal(file: string, expected: ExpectedRefusal[]): Outcome | undefined {
  const codes = expected.map((r) => r.code).join(" or ");
  const compiled = compileFile(file);
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  const refused = errors.find((d) => expected.some((r) => r.code === d.code));
  if (refused) return { kind: "refused", code: refused.code };
  const first = errors[0];
  if (first) return { kind: "compile-error", message: `${first.code} ${first.message} (line ${first.line}), expected ${codes}` };
  const operations = new Set(compiled.handlers.flatMap((h) => Object.values(h.sourceMap.states).map((e) => e.operation?.name)));
  const due = expected.filter((r) => operations.has(r.site));
  if (due.length === 0) return undefined;
  return { kind: "missed-refusal", message: `compiled without ${due.map((r) => r.code).join(" or ")}` };
}

/** One line saying what went wrong, for logs and fast-check reports. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "equal":
      return "equal";
    case "refused":
      return `refused with ${outcome.code}, as expected`;
    case "divergence": {
      const first = outcome.verification.differences[0];
      return `divergence at ${first?.path ?? "?"}: SDK ${JSON.stringify(first?.expected)} vs compiled ${JSON.stringify(first?.actual)} (${outcome.verification.differences.length} difference(s))`;
    }
    default:
      return `${outcome.kind}: ${outcome.message.split("\n")[0]}`;
  }
}

/**
 * What kind of failure this is, independent of the program: the first difference's path without
 * indices and whether an operation is extra or missing, or the kind of error and its first words.
 * Shrinking keeps the signature, so a case does not drift into another bug while it shrinks.
 */
export function signatureOf(outcome: Outcome): string {
  switch (outcome.kind) {
    case "equal":
      return "equal";
    case "refused":
      return `refused ${outcome.code}`;
    case "divergence": {
      const first = outcome.verification.differences[0];
      if (!first) return "divergence";
      const path = first.path.replace(/\[\d+\]/g, "[]");
      const op = (first.expected ?? first.actual) as { kind?: string; status?: string } | undefined;
      const what = first.expected === undefined ? ` extra ${op?.kind} ${op?.status}` : first.actual === undefined ? ` missing ${op?.kind} ${op?.status}` : "";
      return `divergence ${path}${what}`;
    }
    default:
      // Numbers are blanked (names, lines), not diagnostic codes: refusals are counted by code.
      return `${outcome.kind} ${outcome.message.split("\n")[0]!.replace(/\/[^\s:]+/g, "<path>").replace(/D2S\d{4}|\d+/g, (m) => (m.startsWith("D2S") ? m : "N")).slice(0, 80)}`;
  }
}
