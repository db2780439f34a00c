import { runMachine, type ExecutionResult, type RunOptions } from "../../runtime/emulator/index.ts";

/** A JSONata-mode machine from its States (the first state is StartAt unless given). */
export function machine(states: Record<string, object>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { QueryLanguage: "JSONata", StartAt: Object.keys(states)[0], States: states, ...extra };
}

/** A single-state graph for Parallel branches and Map ItemProcessors. */
export function graph(states: Record<string, object>): Record<string, unknown> {
  return { StartAt: Object.keys(states)[0], States: states };
}

export const LAMBDA = "arn:aws:states:::lambda:invoke";
export const LAMBDA_TOKEN = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/** A lambda:invoke Task calling `fn` with `payload`, returning its Payload unless `extra` says otherwise. */
export function lambdaTask(fn: string, extra: Record<string, unknown> = {}, payload: unknown = "{% $states.input %}") {
  return {
    Type: "Task",
    Resource: LAMBDA,
    Arguments: { FunctionName: fn, Payload: payload },
    Output: "{% $states.result.Payload %}",
    ...("Next" in extra ? {} : { End: true }),
    ...extra,
  };
}

export function run(definition: object, options: RunOptions = {}): Promise<ExecutionResult> {
  return runMachine(definition, options);
}

export function eventTypes(result: ExecutionResult): string[] {
  return result.history.map((e) => e.type);
}

/** A handler error with a chosen name, as a Lambda function would throw it. */
export function namedError(name: string, message = name): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** Seconds between two events of the virtual clock. */
export function secondsBetween(result: ExecutionResult, fromId: number, toId: number): number {
  const at = (id: number) => result.history[id - 1]!.timestamp.getTime();
  return (at(toId) - at(fromId)) / 1000;
}
