import type { StateDefinition, StateGraph } from "../../asl/index.ts";
import type { Fiber } from "./runtime.ts";
import { StateVisit, type StateOutcome } from "./state-visit.ts";
import { runChoice } from "./states/choice.ts";
import { runFail } from "./states/fail.ts";
import { runMap } from "./states/map.ts";
import { runParallel } from "./states/parallel.ts";
import { runPass } from "./states/pass.ts";
import { runSucceed } from "./states/succeed.ts";
import { runTask } from "./states/task.ts";
import { runWait } from "./states/wait.ts";

const RUNNERS: Record<StateDefinition["Type"], (visit: StateVisit) => Promise<StateOutcome>> = {
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Parallel: runParallel,
  Map: runMap,
  Succeed: runSucceed,
  Fail: runFail,
};

/**
 * Walks a state graph from StartAt until a state ends it, and returns the last output. Each state
 * entered is one billed state transition. A state's uncaught error leaves the graph as a StatesError.
 */
export async function runGraph(graph: StateGraph, input: unknown, fiber: Fiber): Promise<unknown> {
  let name: string | undefined = graph.StartAt;
  let value = input;
  while (name !== undefined) {
    fiber.cancellation.throwIfAborted();
    const state: StateDefinition = graph.States[name]!;
    fiber.runtime.stats.stateTransitions++;
    const outcome: StateOutcome = await RUNNERS[state.Type](new StateVisit(fiber, name, state, value));
    name = outcome.next;
    value = outcome.output;
  }
  return value;
}
