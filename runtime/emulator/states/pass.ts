import type { StateOutcome, StateVisit } from "../state-visit.ts";

/** Pass (AWS docs, "Pass workflow state"): Output and Assign; without Output the input passes through. */
export async function runPass(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  return visit.exit(visit.bindings(), visit.input, visit.next);
}
