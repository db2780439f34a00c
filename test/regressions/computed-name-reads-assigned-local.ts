// Found by the fuzzer (npm run fuzz -- --seed 1 --replay 153), reduced by hand.
// Status: passes as of 53cd534 (was it.fails in regressions.test.ts until that compiler fix).
// A step whose computed name and body both read the local the step's result is assigned to:
// the compiled machine fails evaluating the name (the local is not there as a JSONata variable).
//               SDK                              | compiled
// ! status      SUCCEEDED                        | FAILED  <- first difference
// ! result      -2                               | -
// ! error       -                                | States.QueryEvaluationError: The JSONata expression '$b…
// !   1         step "s--3" SUCCEEDED attempts=1 | step (unnamed) STARTED attempts=0
// signature: divergence status
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  let b = -3;
  b = await context.step(`s-${b}`, async () => b + 1);
  return b;
});
