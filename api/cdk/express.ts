import { walkStates, type StateGraph } from "../../asl/index.ts";
import type { AslDefinition } from "../../compiler/emit/asl.ts";

/** Integration patterns Express workflows do not run (Step Functions refuses such a machine). */
const NOT_EXPRESS = /\.(waitForTaskToken|sync(:\d+)?)$/;

/** The states of a definition that wait for a callback or a job: `approval (lambda:invoke.waitForTaskToken)`. */
export function waitingTasks(definition: AslDefinition): string[] {
  const found: string[] = [];
  for (const { name, state } of walkStates(definition as unknown as StateGraph)) {
    if (state.Type === "Task" && typeof state.Resource === "string" && NOT_EXPRESS.test(state.Resource)) {
      found.push(`${name} (${state.Resource.replace(/^arn:aws:states:::/, "")})`);
    }
  }
  return found;
}
