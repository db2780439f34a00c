// Found by the fuzzer (npm run fuzz -- --seed 3, program 1929), reduced by hand.
// Status: passes since the fix that makes a return value kept before a finally opaque.
// A return inside try (here inside an inner finally) with an outer finally that runs durable
// operations: the value is taken into a temporary before the finally runs, but the Succeed state
// read the returned expression again (`$v8`), a block-scoped local no state had set.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  let total = event.n;
  try {
    try {
      if (event.n > 5) throw new TypeError("b");
    } finally {
      const [, v8] = [event.n, event.n * 3];
      total = v8;
      return total;
    }
  } finally {
    total = await context.step("s5", async () => 100);
  }
});
