import { ErrorNames, StatesError } from "../errors.ts";
import { Limits } from "../limits.ts";
import type { StateOutcome, StateVisit } from "../state-visit.ts";

/**
 * Wait (AWS docs, "Wait workflow state"): `Seconds` (an integer, or JSONata) or `Timestamp` (an
 * RFC 3339 string, or JSONata); a timestamp in the past does not wait. The wait costs virtual time only.
 */
export async function runWait(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  const bindings = visit.bindings();
  const { clock } = visit.runtime;
  let seconds = await visit.evaluateCount("Seconds", bindings, { max: Limits.executionSeconds });
  if (seconds === undefined) {
    const timestamp = await visit.evaluate("Timestamp", bindings);
    const at = typeof timestamp === "string" && RFC3339.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(at)) {
      throw new StatesError(ErrorNames.QueryEvaluationError, `The Timestamp ${JSON.stringify(timestamp)} is not an RFC 3339 date`);
    }
    seconds = Math.max(0, (at - clock.now) / 1000);
  }
  if (seconds > 0) await clock.sleep(seconds, visit.fiber.cancellation);
  return visit.exit(bindings, visit.input, visit.next);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
