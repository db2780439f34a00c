// Found by the fuzzer: npm run fuzz -- --seed 1 --replay 72 (shrunk, interrupted).
// Status: passes as of 9fc6a3c (the compiler was fixed after this was found).
// divergence at status: SDK "SUCCEEDED" vs compiled "FAILED" (6 difference(s))
// signature: divergence status
//
//               SDK                            | compiled
// ! status      SUCCEEDED                      | FAILED  <- first difference
// ! result      "b"                            | -
// ! error       -                              | States.QueryEvaluationError: The JSONata expression '$c…
//   operations                                 |
// !   1         step "s0" SUCCEEDED attempts=1 | step "s0" STARTED attempts=0
// 6 difference(s)
import { withDurableExecution, JitterStrategy, createRetryStrategy, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

class OrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrderError";
  }
}

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  if (event.flag) {
    try {
    } finally {
      try {
        let [v0, t1] = [(event.n * 2), (event.n + 0)];
        await context.step("s0", async () => {
          return ((v0 * 2) + (v0 * 2));
        }, { retryStrategy: createRetryStrategy({ maxAttempts: 1, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) });
      } catch (e2) {
        trail.push(e2 instanceof OrderError ? "is-OrderError" : "not-OrderError");
      } finally {
      }
      if (event.flag) return "b";
      await context.wait("w0", { seconds: event.mode !== ("x1" as string) ? 6 : 21 });
    }
  } else {
    let w3 = 0;
    while (w3 < 3) {
      w3++;
    }
    const o4: { a: number; b: string } = { a: 7, b: "b" };
    o4.b += o4.b;
  }
  return { trail, state };
});
