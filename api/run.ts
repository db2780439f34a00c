import type { CompiledHandler } from "../compiler/types.ts";
import type { CompiledRun } from "../harness/run.ts";
import type { RunReport, Scenario } from "../runtime/emulator/scenario.ts";
import { cachedBuild, storeBuild, type CachedBuild } from "./run-cache.ts";

export interface HandlerRun {
  report: RunReport;
  /** Callback names of the scenario that no operation of the run asked for. */
  unusedCallbacks: string[];
}

export interface RunOptions {
  /** false: compile and bundle afresh, and keep nothing (default: reuse an unchanged handler's build, see run-cache.ts). */
  cache?: boolean;
  /** The durable handler (export name) to run, when the file has several. */
  handler?: string;
  /** false: run the plain mapping (compiler/optimize/ skipped). */
  optimize?: boolean;
}

/**
 * Compiles a durable handler and runs it on the local emulator with the scenario's input and
 * callback answers (`durable2sfn run handler.ts`). Compile errors throw a CompileError; a failed
 * execution is a report with status FAILED, not an exception. An unchanged handler is not
 * compiled or bundled again: its build is kept by content.
 */
export async function run(file: string, scenario: Scenario = {}, options: RunOptions = {}): Promise<HandlerRun> {
  // harness/run.ts, not the harness's index: that one also loads the SDK's test runner, which only verify needs.
  const { runCompiled } = await import("../harness/run.ts");
  const kept = options.cache !== false ? cachedBuild(file, cacheKey(options)) : undefined;
  // The compiler validated the kept definition (validating loads asl-validator's checks and parses
  // every JSONata expression): the emulator's own check of it need not run again.
  if (kept) (await import("../asl/index.ts")).noteValid(kept.handler.definition);
  const build = kept ?? (await freshBuild(file, options.cache !== false, options));
  const { report, unusedCallbacks } = await runCompiled(build.handler, scenario, build.bundle);
  return { report, unusedCallbacks };
}

/** One kept build per handler and mapping (optimized or plain). */
function cacheKey(options: RunOptions): string {
  return `${options.handler ?? ""}${options.optimize === false ? "@plain" : ""}`;
}

/**
 * Runs a handler compiled already (compileFile) on the emulator, as `run` does after its build:
 * the whole run (history, trace, report). `cost` reads its transitions and invocations.
 */
export async function runCompiledHandler(handler: CompiledHandler, scenario: Scenario): Promise<CompiledRun> {
  const { runCompiled } = await import("../harness/run.ts");
  return runCompiled(handler, scenario);
}

async function freshBuild(file: string, keep: boolean, options: RunOptions): Promise<CachedBuild> {
  const [{ CompileError, chooseHandler, compileFile }, { filesOfLastLoad }, { localBundle }] = await Promise.all([
    import("../compiler/index.ts"),
    import("../compiler/parse/project.ts"),
    import("../harness/load-fragments.ts"),
  ]);
  const compiled = compileFile(file, { optimize: options.optimize });
  const inputs = filesOfLastLoad();
  const error = compiled.diagnostics.find((d) => d.severity === "error");
  if (error) throw new CompileError(error);
  const handler = chooseHandler(compiled.handlers, file, options.handler);
  const build = { handler, bundle: await localBundle(handler) };
  if (keep) storeBuild(file, cacheKey(options), build, inputs);
  return build;
}
