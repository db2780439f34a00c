import { AbortedError, StatesError } from "./errors.ts";
import type { Fiber } from "./runtime.ts";
import type { StateVisit } from "./state-visit.ts";

export interface FanOut {
  count: number;
  /** How many children run at once; 0 means all. */
  concurrency: number;
  /** Runs child `index` in its own fiber (own variable scope, own cancellation) and returns its output. */
  run(index: number, fiber: Fiber): Promise<unknown>;
  /**
   * Decides about a failed child: `null` tolerates the failure (its slot in the result holds the
   * error object), a StatesError fails the whole state with that error.
   */
  onChildError(index: number, error: StatesError): StatesError | null;
}

/**
 * Runs the branches of a Parallel or the iterations of a Map as concurrent fibers, in index order,
 * at most `concurrency` at a time. The first failure that is not tolerated stops the others
 * ("all its branches are stopped", AWS docs, Parallel state) and becomes the state's error.
 * Each child reads the variables of the state's scope and assigns only its own.
 */
export async function fanOut(visit: StateVisit, plan: FanOut): Promise<unknown[]> {
  const parent = visit.fiber;
  const group = parent.cancellation.child();
  const results: unknown[] = new Array(plan.count);
  let nextIndex = 0;
  let failure: unknown;
  const worker = async () => {
    while (!group.aborted && nextIndex < plan.count) {
      const index = nextIndex++;
      const child = parent.fork(parent.scope.child(), group.child());
      try {
        results[index] = await plan.run(index, child);
      } catch (err) {
        const verdict = err instanceof StatesError && !group.aborted ? plan.onChildError(index, err) : err;
        if (verdict === null) {
          results[index] = (err as StatesError).toErrorOutput();
          continue;
        }
        if (failure === undefined && !(verdict instanceof AbortedError)) failure = verdict;
        group.abort();
      }
    }
  };
  const workers = plan.concurrency > 0 ? Math.min(plan.concurrency, plan.count) : plan.count;
  await visit.runtime.clock.join(Array.from({ length: workers }, () => worker));
  group.abort(); // releases the group's listeners on the parent's cancellation
  if (failure !== undefined) throw failure;
  parent.cancellation.throwIfAborted();
  return results;
}
