import path from "node:path";
import { compileFile, type CompileResult, type Diagnostic } from "../../compiler/index.ts";
import { countInvocations, runCompiled, verifyScenario } from "../../harness/index.ts";
import { corpusScenario } from "./scenario.ts";

/** What one corpus file gave: the first error diagnostic, or the handlers and, with verify, their outcomes. */
export interface FileOutcome {
  compiled: boolean;
  /** Durable handlers built (export names). */
  handlers: string[];
  /** The first error diagnostic, its file relative to the project folder. */
  diagnostic?: { code: string; message: string; hint?: string; file: string; line: number; column: number };
  errorCount: number;
  /** Warning codes of a build that succeeded. */
  warnings: string[];
  /** An exception out of the compiler (a compiler bug: it must report a diagnostic instead). */
  crash?: string;
  verify?: HandlerVerification[];
}

export type VerifyOutcome = "equal" | "differ" | "not comparable";

export interface HandlerVerification {
  handler: string;
  outcome: VerifyOutcome;
  /** Why not comparable (the error either side raised), or the first lines of the difference. */
  reason?: string;
  /** Warning codes the compiler gave (non-determinism outside steps explains many differences). */
  warnings?: string[];
  /** What the compiled machine's run on the scenario cost: state transitions, Lambda invocations of the user's code and of glue. */
  cost?: { transitions: number; steps: number; glue: number };
}

const firstLine = (text: string) => text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";

/** One line for an error: its first line, and for esbuild's "Build failed with N errors" the first of them. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const first = (err as { errors?: Array<{ text?: string; location?: { file?: string; line?: number } | null }> }).errors?.[0];
  const where = first?.location?.file ? ` (${path.basename(first.location.file)}:${first.location.line})` : "";
  return `${err.name}: ${firstLine(err.message)}${first?.text ? ` ${first.text}${where}` : ""}`;
}

function firstError(result: CompileResult, projectRoot: string): FileOutcome["diagnostic"] {
  const d: Diagnostic | undefined = result.diagnostics.find((x) => x.severity === "error");
  if (!d) return undefined;
  return { code: d.code, message: d.message, hint: d.hint, file: path.relative(projectRoot, d.file) || d.file, line: d.line, column: d.column };
}

/** How many lines of a side-by-side diff the report keeps. */
const DIFF_LINES = 12;

/**
 * Compiles one handler file and, with `verify`, verifies each of its handlers on the corpus
 * scenario. `onCompiled` hears the outcome of the build before any verify starts, so that a
 * verify that never ends still leaves what the compiler said.
 */
export async function checkFile(file: string, projectRoot: string, verify: boolean, onCompiled: (outcome: FileOutcome) => void = () => {}): Promise<FileOutcome> {
  let result: CompileResult;
  try {
    result = compileFile(file);
  } catch (err) {
    return { compiled: false, handlers: [], errorCount: 0, warnings: [], crash: describeError(err) };
  }
  const errorCount = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = [...new Set(result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code))];
  if (errorCount > 0 || result.handlers.length === 0) {
    return { compiled: false, handlers: [], diagnostic: firstError(result, projectRoot), errorCount, warnings };
  }
  const outcome: FileOutcome = { compiled: true, handlers: result.handlers.map((h) => h.name), errorCount, warnings };
  if (!verify) return outcome;
  onCompiled(outcome);
  outcome.verify = [];
  for (const handler of result.handlers) {
    const scenario = corpusScenario(handler);
    try {
      const v = await verifyScenario(file, scenario, { handler: handler.name, compiled: result, keepOracle: true });
      const codes = [...new Set(v.warnings.map((w) => w.code))];
      const cost = v.equal ? await costOf(handler, scenario) : undefined;
      outcome.verify.push(
        v.equal
          ? { handler: handler.name, outcome: "equal", warnings: codes, ...(cost && { cost }) }
          : { handler: handler.name, outcome: "differ", reason: v.diff.split("\n").slice(0, DIFF_LINES).join("\n"), warnings: codes },
      );
    } catch (err) {
      outcome.verify.push({ handler: handler.name, outcome: "not comparable", reason: describeError(err) });
    }
  }
  return outcome;
}

/** The compiled side's cost on the scenario, for handlers that verified equal (the same run, on the emulator alone). */
async function costOf(handler: CompileResult["handlers"][number], scenario: ReturnType<typeof corpusScenario>): Promise<HandlerVerification["cost"]> {
  try {
    const run = await runCompiled(handler, scenario);
    return { transitions: run.result.stats.stateTransitions, ...countInvocations(run, handler.sourceMap.states) };
  } catch {
    return undefined;
  }
}
