import { StatesError } from "../errors.ts";
import type { StateOutcome, StateVisit } from "../state-visit.ts";

/**
 * Fail: stops the branch with `Error` and `Cause`, both of which may be JSONata
 * (AWS docs, "Fail workflow state"). It has no exit event.
 */
export async function runFail(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  const bindings = visit.bindings();
  const error = await visit.evaluate("Error", bindings);
  const cause = await visit.evaluate("Cause", bindings);
  throw new StatesError(asText(error), asText(cause));
}

function asText(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
