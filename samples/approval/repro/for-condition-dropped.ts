import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

// Repro: the condition of a `for (init; condition; update)` loop that contains a durable operation
// is dropped; the loop is compiled as `for (init;; update)`.
// compiler/analyze/lower.ts reads the loop test with `getExpression()`, which ForStatement does
// not have (ts-morph names it `getCondition()`).
// SDK: steps s, s, s (rounds 0..2), result "done after 3".
// Compiled: `compileFile` throws "internal error: emitted ASL is invalid: ... missing a terminal
// state (MISSING_TERMINAL_STATE)" because the loop has no exit. With a `break` somewhere in the
// body the machine compiles, but loops until the break fires (or forever; see the approval sample).
export const handler = withDurableExecution(async (event: { rounds: number }, context: DurableContext) => {
  let count = 0;
  for (let round = 0; round < event.rounds; round++) {
    count = await context.step("s", async () => round + 1);
  }
  return `done after ${count}`;
});
