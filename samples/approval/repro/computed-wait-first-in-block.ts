import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

// Repro: a computed wait duration that is the first statement of its block is rejected with
// D2S2008 "this wait duration cannot be computed"; the same wait preceded by any plain statement
// in the same block compiles. Expected: both compile. Same error for
//   const n = await context.step("n", async () => 7);
//   await context.wait("pause", { seconds: n });
// (states.ts emitBlock: a block with no code goes straight to emitOperation, which only accepts
// literal durations; only emitCodeTask computes `seconds`.)
export const handler = withDurableExecution(async (event: { rounds: number }, context: DurableContext) => {
  for (let round = 1; round <= event.rounds; round++) {
    await context.wait("pause", { seconds: 10 * round });
    await context.step("tick", async () => round);
  }
  return "done";
});
