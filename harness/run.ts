import { CallbackAnswers, Execution, type ExecutionResult, type RunReport, type Scenario } from "../runtime/emulator/index.ts";
import { CompileError, compileFile, hasErrors, type CompiledHandler } from "../compiler/index.ts";
import { FRAGMENTS_FUNCTION } from "../protocol/index.ts";
import type { Trace } from "./compare/index.ts";
import { loadFragments } from "./load-fragments.ts";
import { loadScenarioFunctions } from "./scenario-functions.ts";
import { operationName, traceFromHistory } from "./trace-from-history.ts";

export interface CompiledRun {
  result: ExecutionResult;
  report: RunReport;
  trace: Trace;
  /** Callback names of the scenario that no operation of the run asked for. */
  unusedCallbacks: string[];
}

/** Runs a compiled handler on the emulator, its fragments loaded in this process, answering callbacks from the scenario. */
export async function runCompiled(handler: CompiledHandler, scenario: Scenario): Promise<CompiledRun> {
  const fragments = await loadFragments(handler);
  const functions = await loadScenarioFunctions(scenario, handler.file);
  const answers = new CallbackAnswers(scenario.callbacks);
  const states = handler.sourceMap.states;
  const execution: Execution = new Execution(handler.definition, {
    input: scenario.event ?? {},
    lambda: (functionName, payload, info) => {
      // A context.invoke whose name happens to read `${FragmentsFunctionArn}` is the user's function, not the fragments.
      const userInvoke = states[info.stateName]?.operation?.kind === "invoke";
      if (functionName === FRAGMENTS_FUNCTION && !userInvoke) return withLogsOnStderr(() => fragments(payload));
      const target = functions.get(functionName);
      if (!target) throw Object.assign(new Error(`Function not found: ${functionName}`), { name: "Lambda.ResourceNotFoundException" });
      return withLogsOnStderr(() => target(payload));
    },
    onTaskToken: (token, info) => {
      const name = operationName(states[info.stateName]?.operation, info.input);
      const answer = answers.next(name);
      // The SDK hands over the raw string; sending it as a JSON string keeps it byte for byte.
      if ("success" in answer) execution.sendTaskSuccess(token, JSON.stringify(answer.success));
      else if ("failure" in answer) execution.sendTaskFailure(token, answer.failure.errorType, answer.failure.errorMessage);
    },
  });
  execution.start();
  const result = await execution.result;
  const trace = traceFromHistory(result, handler);
  return { result, report: reportOf(result, trace), trace, unusedCallbacks: answers.unused() };
}

/**
 * What fragments log goes to stderr during a local run, so that stdout carries only the
 * command's own output (`run --json` prints exactly one JSON object).
 */
async function withLogsOnStderr<T>(run: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
  try {
    return await run();
  } finally {
    Object.assign(console, saved);
  }
}

function reportOf(result: ExecutionResult, trace: Trace): RunReport {
  const base = trace.status === "SUCCEEDED" ? { status: trace.status, result: result.output } : { status: trace.status, error: trace.error };
  return { ...base, stats: result.stats } as RunReport;
}

/** `durable2sfn run handler.ts --scenario FILE`: compile, then run on the emulator. */
export async function runHandlerScenario(file: string, scenario: Scenario, options: { optimize?: boolean } = {}): Promise<Pick<CompiledRun, "report" | "unusedCallbacks">> {
  const compiled = compileFile(file, options);
  if (hasErrors(compiled.diagnostics)) {
    throw new CompileError(compiled.diagnostics.find((d) => d.severity === "error")!);
  }
  const { report, unusedCallbacks } = await runCompiled(compiled.handlers[0], scenario);
  return { report, unusedCallbacks };
}
