import type { StateOutcome, StateVisit } from "../state-visit.ts";

/** Succeed: ends its branch (or the execution) successfully; may carry Output. */
export async function runSucceed(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  return visit.exit(visit.bindings(), visit.input, undefined);
}
