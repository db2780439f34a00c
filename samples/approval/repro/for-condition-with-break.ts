import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

// Repro (same cause as for-condition-dropped.ts): with a `break` the machine compiles, but the
// dropped condition lets the loop run past its bound.
// SDK (event.rounds = 2, event.stopAt = 5): steps s x2, result 2.
// Compiled: steps s x6 (rounds 0..5), result 6.
export const handler = withDurableExecution(async (event: { rounds: number; stopAt: number }, context: DurableContext) => {
  let count = 0;
  for (let round = 0; round < event.rounds; round++) {
    count = await context.step("s", async () => round + 1);
    if (round === event.stopAt) break;
  }
  return count;
});
