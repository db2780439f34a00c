import { randomUUID } from "node:crypto";
import { CallbackAnswers, Execution, type ExecutionResult, type RunReport, type Scenario } from "../runtime/emulator/index.ts";
import type { CompiledHandler } from "../compiler/index.ts";
import { FRAGMENTS_FUNCTION, isRelayEvent } from "../protocol/index.ts";
import { LocalRelay } from "./local-relay.ts";
import type { Trace } from "./compare/index.ts";
import { loadFragments } from "./load-fragments.ts";
import { withLogsOnStderr } from "./logs-to-stderr.ts";
import { WORLD_START, inWorld, installWorld, newWorld } from "./handler-world.ts";
import { substituteEnvironment, withScenarioEnvironment } from "./scenario-environment.ts";
import { loadScenarioFunctions } from "./scenario-functions.ts";
import { operationName, traceFromHistory } from "./trace-from-history.ts";

export interface CompiledRun {
  result: ExecutionResult;
  report: RunReport;
  trace: Trace;
  /** Callback names of the scenario that no operation of the run asked for. */
  unusedCallbacks: string[];
}

/**
 * Runs a compiled handler on the emulator, its fragments loaded in this process (from `bundle`, a
 * localBundle, when given), answering callbacks from the scenario. The compiler is loaded only
 * when the fragments must be bundled here, so that a run from a cache starts without TypeScript.
 */
export function runCompiled(handler: CompiledHandler, scenario: Scenario, bundle?: string): Promise<CompiledRun> {
  return withScenarioEnvironment(scenario, () => runInEnvironment(handler, scenario, bundle));
}

async function runInEnvironment(handler: CompiledHandler, scenario: Scenario, bundle?: string): Promise<CompiledRun> {
  const definition = substituteEnvironment(handler, scenario);
  const fragments = await loadFragments(handler, bundle);
  const functions = await loadScenarioFunctions(scenario, handler.file);
  const answers = new CallbackAnswers(scenario.callbacks);
  const states = handler.sourceMap.states;
  // The fragments read the emulator's virtual clock at their Task and a seeded random source (handler-world.ts).
  const { random } = newWorld(() => 0);
  const release = installWorld();
  const relay = new LocalRelay(() => execution);
  const execution: Execution = new Execution(definition, {
    input: scenario.event ?? {},
    lambda: (functionName, payload, info) => {
      // A context.invoke whose name happens to read `${FragmentsFunctionArn}` is the user's function, not the fragments.
      const userInvoke = states[info.stateName]?.operation?.kind === "invoke";
      if (functionName === FRAGMENTS_FUNCTION && !userInvoke) {
        const now = info.now ?? WORLD_START;
        // The callback relay's action of the fragments function, over a table in memory (local-relay.ts).
        if (isRelayEvent(payload)) return relay.handle(payload, now, payload.relay === "register" ? answers.next(operationName(states[info.stateName]?.operation, payload)) : undefined);
        const context = { awsRequestId: randomUUID() }; // drawn outside the handler's world, which is the handler's alone
        return inWorld({ now: () => now, random }, () => fragments(payload, context));
      }
      const target = functions.get(functionName);
      if (!target) throw Object.assign(new Error(`Function not found: ${functionName}`), { name: "Lambda.ResourceNotFoundException" });
      return target(payload);
    },
    onTaskToken: (token, info) => {
      // A relayed callback's Task: the scenario answered it by its id when it registered (or answers now, `at: "await"`).
      if (states[info.stateName]?.relay) return void relay.waiting(token, info.now ?? WORLD_START);
      // A submitter's retry loop runs the callback's Task under another state name (retry-loop.ts).
      const entry = states[info.stateName];
      const name = operationName(entry?.operation ?? (entry?.pollOf ? states[entry.pollOf]?.operation : undefined), info.input);
      const answer = answers.next(name);
      // The SDK hands over the raw string; sending it as a JSON string keeps it byte for byte.
      if ("success" in answer) execution.sendTaskSuccess(token, JSON.stringify(answer.success));
      else if ("failure" in answer) execution.sendTaskFailure(token, answer.failure.errorType, answer.failure.errorMessage);
    },
  });
  const result = await withLogsOnStderr(() => execution.start()).finally(release);
  const trace = traceFromHistory(result, handler);
  // A relayed callback asks for its answer at its await; one the run created but never awaited was used all the same.
  for (const event of result.history) {
    const entered = event.stateEnteredEventDetails as { name: string } | undefined;
    const entry = entered ? states[entered.name] : undefined;
    if (entry?.callbackKey) answers.seen(entry.operation?.name);
  }
  return { result, report: reportOf(result, trace), trace, unusedCallbacks: answers.unused() };
}

function reportOf(result: ExecutionResult, trace: Trace): RunReport {
  const base = trace.status === "SUCCEEDED" ? { status: trace.status, result: result.output } : { status: trace.status, error: trace.error };
  return { ...base, stats: result.stats } as RunReport;
}
