// Found by the fuzzer (npm run fuzz -- --seed 1: programs 33, 169, ...; seed 2: 33, 86), reduced by hand.
// Status: passes as of 53cd534 (was it.fails in regressions.test.ts until that compiler fix).
// A throw in the code between two operations is compiled into the Task of the next step, so the
// compiled trace has a step the SDK never started:
//               SDK                            | compiled
//   error       TypeError: a                   | TypeError: a
//     1         step "s0" SUCCEEDED attempts=1 | step "s0" SUCCEEDED attempts=1
// !   2         -                              | step "s1" FAILED attempts=1  <- first difference
// signature: divergence operations[] extra step FAILED
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { flag: boolean }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  await context.step("s0", async () => 1);
  if (!event.flag) throw new TypeError("a");
  const v = await context.step("s1", async () => 2);
  return v;
});
