import type { RunReport, Scenario } from "../runtime/emulator/scenario.ts";

export interface HandlerRun {
  report: RunReport;
  /** Callback names of the scenario that no operation of the run asked for. */
  unusedCallbacks: string[];
}

/**
 * Compiles a durable handler and runs it on the local emulator with the scenario's input and
 * callback answers (`durable2sfn run handler.ts`). Compile errors throw a CompileError; a failed
 * execution is a report with status FAILED, not an exception.
 */
export async function run(file: string, scenario: Scenario = {}): Promise<HandlerRun> {
  // harness/run.ts, not the harness's index: that one also loads the SDK's test runner, which only verify needs.
  const { runHandlerScenario } = await import("../harness/run.ts");
  return runHandlerScenario(file, scenario);
}
