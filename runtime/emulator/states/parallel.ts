import { runWithRetryAndCatch } from "../error-handling.ts";
import { fanOut } from "../fan-out.ts";
import type { StateOutcome, StateVisit } from "../state-visit.ts";

/**
 * Parallel (AWS docs, "Parallel workflow state"): every branch gets the same input (Arguments, or
 * the state input), the result is the array of branch outputs in branch order, and if a branch
 * fails the state fails with that branch's error while the other branches are stopped.
 */
export async function runParallel(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  return runWithRetryAndCatch(visit, async () => {
    const bindings = visit.bindings();
    const branchInput = (await visit.evaluate("Arguments", bindings)) ?? visit.input;
    const branches = visit.state.Branches ?? [];
    visit.fiber.record("ParallelStateStarted");
    let result: unknown[];
    try {
      result = await fanOut(visit, {
        count: branches.length,
        concurrency: 0,
        run: (index, fiber) => visit.runtime.runGraph(branches[index]!, branchInput, fiber),
        onChildError: (_index, error) => error,
      });
    } catch (err) {
      if (!visit.fiber.cancellation.aborted) visit.fiber.record("ParallelStateFailed");
      throw err;
    }
    visit.fiber.record("ParallelStateSucceeded");
    return visit.exit(visit.bindings({ result }), result, visit.next);
  });
}
