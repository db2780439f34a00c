import type { Catcher, Retrier } from "../../asl/index.ts";
import { AbortedError, ErrorNames, StatesError } from "./errors.ts";
import type { SeededRandom } from "./random.ts";
import type { StateOutcome, StateVisit } from "./state-visit.ts";

/** Errors that States.ALL does not match (AWS docs, "Error names": terminal errors). */
const TERMINAL_ERRORS = new Set<string>([ErrorNames.DataLimitExceeded, ErrorNames.Runtime]);

/**
 * Does a retrier's or catcher's `ErrorEquals` match `error`?
 * - an exact name always matches;
 * - States.ALL matches everything except the terminal errors;
 * - in a Task state, States.TaskFailed "acts as a wildcard that matches any known error name except
 *   for States.Timeout" (AWS docs, "Error names"); we also keep the terminal errors out of it.
 */
export function errorMatches(errorEquals: string[], error: string, inTask: boolean): boolean {
  if (errorEquals.includes(error)) return true;
  if (TERMINAL_ERRORS.has(error)) return false;
  if (errorEquals.includes(ErrorNames.ALL)) return true;
  return inTask && error !== ErrorNames.Timeout && errorEquals.includes(ErrorNames.TaskFailed);
}

/**
 * The wait before retry number `retriesSoFar + 1` of one retrier (AWS docs, "Retrying after an
 * error"): IntervalSeconds (default 1) times BackoffRate (default 2.0) per earlier retry, capped by
 * MaxDelaySeconds; with JitterStrategy FULL, a random duration between 0 and that value.
 */
export function retryDelaySeconds(retrier: Retrier, retriesSoFar: number, random: SeededRandom): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  let delay = interval * Math.pow(backoff, retriesSoFar);
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === "FULL") delay = random.next() * delay;
  return delay;
}

/**
 * Runs the attempts of a Task, Parallel or Map state under its Retry and Catch fields.
 * Retriers are tried in order and the first that matches decides: retry if it has attempts left
 * (MaxAttempts defaults to 3; 0 means never), otherwise fall through to Catch. Each retry counts
 * as a state transition. A Catcher's Assign replaces the state's Assign, its Output sees
 * `$states.errorOutput`, and without Output the error object itself is the output.
 */
export async function runWithRetryAndCatch(
  visit: StateVisit,
  attempt: () => Promise<StateOutcome>,
): Promise<StateOutcome> {
  const { state, runtime, fiber } = visit;
  const inTask = state.Type === "Task";
  const retriesPerRetrier = (state.Retry ?? []).map(() => 0);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StatesError)) throw err; // aborts and emulator faults are not ASL errors
      if (fiber.cancellation.aborted) throw new AbortedError(); // a stopped branch neither retries nor catches
      const retrierIndex = (state.Retry ?? []).findIndex((r) => errorMatches(r.ErrorEquals, err.error, inTask));
      if (retrierIndex >= 0) {
        const retrier = state.Retry![retrierIndex]!;
        const used = retriesPerRetrier[retrierIndex]!;
        if (used < (retrier.MaxAttempts ?? 3)) {
          retriesPerRetrier[retrierIndex] = used + 1;
          visit.retryCount++;
          runtime.stats.stateTransitions++;
          await runtime.clock.sleep(retryDelaySeconds(retrier, used, runtime.random), fiber.cancellation);
          continue;
        }
      }
      const catcher = (state.Catch ?? []).find((c) => errorMatches(c.ErrorEquals, err.error, inTask));
      if (!catcher) throw err;
      return catchError(visit, catcher, err);
    }
  }
}

function catchError(visit: StateVisit, catcher: Catcher, err: StatesError): Promise<StateOutcome> {
  const index = visit.state.Catch!.indexOf(catcher);
  const errorOutput = err.toErrorOutput();
  const bindings = visit.bindings({ errorOutput });
  return visit.exit(bindings, errorOutput, catcher.Next, { assign: [catcher], output: catcher, label: `Catch[${index}]` });
}
