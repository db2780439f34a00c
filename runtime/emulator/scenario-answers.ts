import type { CallbackAnswers } from "./scenario.ts";
import type { StateGraph } from "../../asl/index.ts";
import { ErrorNames, StatesError } from "./errors.ts";
import type { Execution } from "./execution.ts";
import type { RunOptions, TaskTokenListener } from "./types.ts";
import { walkStates } from "../../asl/index.ts";

/**
 * Answers `.waitForTaskToken` tasks from a scenario's `callbacks`, keyed by state name, in order
 * of occurrence. `success` is sent as SendTaskSuccess output when it is JSON, otherwise as a JSON
 * string; `failure` becomes SendTaskFailure(errorType, errorMessage); `timeout` (or no answer left)
 * never answers, so the task's TimeoutSeconds fires in virtual time.
 */
export function scenarioTokenListener(answers: CallbackAnswers, execution: () => Execution): TaskTokenListener {
  return (token, info) => {
    const answer = answers.next(info.stateName);
    if ("success" in answer) execution().sendTaskSuccess(token, asJsonText(answer.success));
    else if ("failure" in answer) execution().sendTaskFailure(token, answer.failure.errorType, answer.failure.errorMessage);
  };
}

function asJsonText(raw: string): string {
  try {
    JSON.parse(raw);
    return raw;
  } catch {
    return JSON.stringify(raw);
  }
}

/**
 * Integrations for running a machine file from the command line, where no code serves its tasks:
 * sending a task token out (`.waitForTaskToken`) succeeds and does nothing, since the scenario
 * answers the token; any other call fails with States.Runtime, asking for a mock configuration.
 */
export function callbackOnlyIntegrations(definition: StateGraph): Pick<RunOptions, "lambda" | "handlers"> {
  const unserved = (resource: string) => {
    throw new StatesError(ErrorNames.Runtime, `Nothing serves ${resource} here; mock it with --mock-config`);
  };
  const handlers: NonNullable<RunOptions["handlers"]> = {};
  for (const { state } of walkStates(definition)) {
    const resource = state.Resource;
    if (resource) handlers[resource] = (_input, info) => (info.taskToken ? null : unserved(resource));
  }
  return { handlers, lambda: (_fn, _payload, info) => (info.taskToken ? null : unserved(info.resource)) };
}
