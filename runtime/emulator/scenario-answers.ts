import { CallbackAnswers, type Scenario } from "../scenario.ts";
import type { Execution } from "./execution.ts";
import type { TaskTokenListener } from "./types.ts";

/**
 * Answers `.waitForTaskToken` tasks from a scenario's `callbacks`, keyed by state name, in order
 * of occurrence. `success` is sent as SendTaskSuccess output when it is JSON, otherwise as a JSON
 * string; `failure` becomes SendTaskFailure(errorType, errorMessage); `timeout` (or no answer left)
 * never answers, so the task's TimeoutSeconds fires in virtual time.
 */
export function scenarioTokenListener(scenario: Scenario, execution: () => Execution): TaskTokenListener {
  const answers = new CallbackAnswers(scenario.callbacks);
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
