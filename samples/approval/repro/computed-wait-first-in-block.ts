import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

// STATUS: seen with the compiler at commit aa5ec76; passes with the uncommitted compiler changes in
// the working tree as of this commit (kept as a regression case).
// Repro: a computed wait duration that is the first statement of its block is rejected with
// D2S2008 "this wait duration cannot be computed"; the same wait preceded by any plain statement
// in the same block compiles. Expected: both compile. Same error for
//   const n = await context.step("n", async () => 7);
//   await context.wait("pause", { seconds: n });
// (states.ts emitBlock: a block with no code goes straight to emitOperation, which only accepts
// literal durations; only emitCodeTask computes `seconds`.)
export const handler = withDurableExecution(async (event: { rounds: number }, context: DurableContext) => {
  let round = 0;
  while (round < event.rounds) {
    await context.wait("pause", { seconds: 10 * (round + 1) });
    round = await context.step("tick", async () => round + 1);
  }
  return "done";
});
