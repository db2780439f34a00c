// Found by the fuzzer: npm run fuzz -- --seed 1 --replay 73 (shrunk).
// Status: passes as of 9fc6a3c (the compiler was fixed after this was found).
// divergence at error.errorMessage: SDK "Callback failed" vs compiled "" (1 difference(s))
// signature: divergence error.errorMessage
//
//               SDK                                    | compiled
//   status      FAILED                                 | FAILED
//   result      -                                      | -
// ! error       CallbackExternalError: Callback failed | CallbackExternalError:   <- first difference
//   operations                                         |
//     1         waitForCallback "cb0" FAILED           | waitForCallback "cb0" FAILED
// 1 difference(s)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  await context.waitForCallback("cb0", async () => {}, { timeout: { seconds: 1 } });
  return { trail, state };
});
