// Found by the fuzzer (first runs, seed 2), reduced by hand.
// Status: passes as of 9fc6a3c (the compiler was fixed after this was found).
// A waitForCallback in a finally body that fails (on the normal path) was caught by the finally's
// own exceptional path, so the compiled machine ran the finally body, and the callback, twice:
// !   2         -                              | waitForCallback "cb0" FAILED  <- first difference
// signature: divergence operations[] extra waitForCallback FAILED
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  const trail: string[] = [];
  try {
    trail.push("try");
  } finally {
    await context.waitForCallback("cb0", async () => {}, { timeout: { minutes: 34 } });
  }
  return trail;
});
