import { AbortedError, ErrorNames, StatesError } from "../errors.ts";
import { runWithRetryAndCatch } from "../error-handling.ts";
import { fanOut } from "../fan-out.ts";
import { Limits } from "../limits.ts";
import type { Fiber } from "../runtime.ts";
import type { StateOutcome, StateVisit } from "../state-visit.ts";

/**
 * Map (AWS docs, "Map workflow state", inline mode): runs ItemProcessor once per element of
 * `Items` (default: the state input, which must then be an array). ItemSelector builds each
 * iteration's input and can read `$states.context.Map.Item.{Index,Value}`. MaxConcurrency 0 means
 * no limit (inline Map still runs at most 40 at once). The result is the array of iteration outputs.
 *
 * Without ToleratedFailureCount/Percentage one failed iteration fails the state with its error.
 * With them, failures up to the threshold are tolerated (their slot holds the error object) and
 * exceeding it fails the state with States.ExceedToleratedFailureThreshold.
 */
export async function runMap(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  return runWithRetryAndCatch(visit, () => attemptMap(visit));
}

async function attemptMap(visit: StateVisit): Promise<StateOutcome> {
  const { fiber } = visit;
  const bindings = visit.bindings();
  const items = (await visit.evaluate("Items", bindings)) ?? visit.input;
  if (!Array.isArray(items)) {
    throw new StatesError(ErrorNames.QueryEvaluationError, `The Map state's items must be an array, got ${JSON.stringify(items)}`);
  }
  const maxConcurrency = (await visit.evaluateCount("MaxConcurrency", bindings)) ?? 0;
  const toleratedCount = await visit.evaluateCount("ToleratedFailureCount", bindings);
  const toleratedPercentage = await visit.evaluateCount("ToleratedFailurePercentage", bindings, { max: 100, integer: false });
  const tolerates = toleratedCount !== undefined || toleratedPercentage !== undefined;
  // ItemSelector reads only the Map's input, context and variables, none of which the iterations can
  // change, so all iteration inputs are built first; a failure here fails the Map state itself.
  const inputs: unknown[] = [];
  for (let index = 0; index < items.length; index++) {
    const itemContext = { Map: { Item: { Index: index, Value: items[index] } } };
    inputs.push((await visit.evaluate("ItemSelector", visit.bindings({}, itemContext))) ?? items[index]);
  }
  fiber.record("MapStateStarted", { mapStateStartedEventDetails: { length: items.length } });

  let failures = 0;
  const exceedsTolerance = () =>
    (toleratedCount !== undefined && failures > toleratedCount) ||
    (toleratedPercentage !== undefined && (failures / items.length) * 100 > toleratedPercentage);

  let result: unknown[];
  try {
    result = await fanOut(visit, {
      count: items.length,
      concurrency: maxConcurrency === 0 ? Limits.inlineMapConcurrency : Math.min(maxConcurrency, Limits.inlineMapConcurrency),
      run: (index, child) => runIteration(visit, index, inputs[index], child),
      onChildError: (_index, error) => {
        if (!tolerates) return error;
        failures++;
        if (!exceedsTolerance()) return null;
        return new StatesError(
          ErrorNames.ExceedToleratedFailureThreshold,
          `The number of failed iterations (${failures} of ${items.length}) exceeds the tolerated failure threshold`,
        );
      },
    });
  } catch (err) {
    if (!fiber.cancellation.aborted) fiber.record("MapStateFailed");
    throw err;
  }
  fiber.record("MapStateSucceeded");
  return visit.exit(visit.bindings({ result }), result, visit.next);
}

async function runIteration(visit: StateVisit, index: number, input: unknown, child: Fiber): Promise<unknown> {
  const details = (key: string) => ({ [key]: { name: visit.name, index } });
  child.record("MapIterationStarted", details("mapIterationStartedEventDetails"));
  try {
    const output = await visit.runtime.runGraph(visit.state.ItemProcessor!, input, child);
    child.record("MapIterationSucceeded", details("mapIterationSucceededEventDetails"));
    return output;
  } catch (err) {
    if (err instanceof AbortedError || child.cancellation.aborted) {
      child.record("MapIterationAborted", details("mapIterationAbortedEventDetails"));
    } else if (err instanceof StatesError) {
      child.record("MapIterationFailed", details("mapIterationFailedEventDetails"));
    }
    throw err;
  }
}
