// Found by the fuzzer: npm run fuzz -- --seed 3 --replay 1637 (shrunk to path 1637:2:1:2:2:2:2:2:2:2:2:2:3:4:4:4:4:4:4:4:4:4:4:4:3:3:4:3:5:4:4:5:5:5).
// Status: passes since the callback Catch tells the code run before the submitter (a Lambda error) from a failed answer.
// divergence at error.errorType: SDK "ChildContextError" vs compiled "CallbackExternalError" (1 difference(s))
// signature: divergence error.errorType
//
//               SDK                                 | compiled
//   status      FAILED                              | FAILED
//   result      -                                   | -
// ! error       ChildContextError: b0 item 0 failed | CallbackExternalError: b0 item 0 failed  <- first difference
//   operations                                      |
//     1         map "b0" SUCCEEDED                  | map "b0" SUCCEEDED
//       1       childContext "map-item-0" FAILED    | childContext "map-item-0" FAILED
//         1     step "b0-0" FAILED attempts=1       | step "b0-0" FAILED attempts=1
// 1 difference(s)
import { withDurableExecution, retryPresets, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  const b0 = await context.map("b0", event.items, async (ctx, item, i) => {
    const r = await ctx.step(`b0-${i}`, async () => {
      if (item > 0) throw new Error(`b0 item ${i} failed`);
      return item * 2 + ((0 * 2));
    }, { retryStrategy: retryPresets.noRetry });
    return r;
  }, { completionConfig: { toleratedFailurePercentage: 100 } });
  b0.throwIfError();
  await context.waitForCallback("cb0", async () => {}, { timeout: { seconds: 1 } });
  return { trail, state };
});
