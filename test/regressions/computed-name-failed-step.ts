// Found by the fuzzer: npm run fuzz -- --seed 1 --replay 100 (shrunk, interrupted).
// Status: passes as of 9fc6a3c (the compiler was fixed after this was found).
// divergence at operations[0].name: SDK "s0-0" vs compiled null (3 difference(s))
// signature: divergence operations[].name
//
//               SDK                                                      | compiled
//   status      SUCCEEDED                                                | SUCCEEDED
//   result      {"trail":[],"state":{"count":0,"last":"start","tags":[]… | {"trail":[],"state":{"count":0,"last":"start","tags":[]…
//   error       -                                                        | -
//   operations                                                           |
// !   1         step "s0-0" FAILED attempts=1                            | step (unnamed) STARTED attempts=0  <- first difference
//     2         wait "w0" SUCCEEDED 75s                                  | wait "w0" SUCCEEDED 75s
//     3         step "s5" SUCCEEDED attempts=1                           | step "s5" SUCCEEDED attempts=1
//     4         step "s6" SUCCEEDED attempts=1                           | step "s6" SUCCEEDED attempts=1
// 3 difference(s)
import { withDurableExecution, JitterStrategy, createRetryStrategy, retryPresets, type DurableContext } from "@aws/durable-execution-sdk-js";

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
  try {
    if (!(event.flag)) {
      try {
      } finally {
        const v0: number = event.n;
        const { a: v1, b: t2 } = await context.step(`s0-${state.count}`, async (stepCtx) => {
          if (stepCtx.attempt <= 1) throw new Error(`fatal s0 attempt ${stepCtx.attempt}`);
          return { a: (!(v0 < v0) ? v0 : event.n), b: `${event.n}` };
        }, { retryStrategy: retryPresets.noRetry });
        trail.push((t2 + state.last));
      }
    } else {
      trail.push("no-local");
      state.tags.push(`at ${event.mode}:`);
      try {
        const t3 = await context.waitForCallback("cb0", async () => {
          if (event.failAt === "cb0") throw new Error("submit cb0 failed");
        }, { timeout: { minutes: 11 } });
        let t4: string = (state.last + t3);
        const [v5, v6] = await context.step("s1", async (stepCtx) => {
          if (stepCtx.attempt <= event.failUntil) throw new TypeError(`fatal s1 attempt ${stepCtx.attempt}`);
          return [(8 % 5), event.n];
        });
      } catch (e7) {
        const v8 = await context.step("s2", async (stepCtx) => {
          if (stepCtx.attempt === 1 && event.flag) throw new OrderError(`fatal s2 attempt ${stepCtx.attempt}`);
          return (event.n * 3);
        }, { retryStrategy: retryPresets.noRetry });
        const v9 = await context.step(async (stepCtx) => {
          if (stepCtx.attempt <= 2) throw new Error(`transient s3 attempt ${stepCtx.attempt}`);
          return ((v8 < 7 ? (-3) : 5) % 3);
        }, { retryStrategy: retryPresets.noRetry });
      }
    }
    let v10 = await context.step(async () => {
      return ((event.n % 4) % 4);
    }, { retryStrategy: retryPresets.noRetry });
  } catch (e11) {
  }
  await context.wait("w0", { seconds: 75 });
  const v12 = await context.step("s5", async () => {
    return (((7 as number) !== state.tags.length ? event.failUntil : 8) + (event.failUntil - event.n));
  }, { retryStrategy: retryPresets.noRetry });
  let v13 = await context.step("s6", async () => {
    return ((event.n !== (3 as number) && state.count >= state.count) ? v12 : (state.count + state.count));
  }, { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 }, backoffRate: 1, jitter: JitterStrategy.NONE, retryableErrors: ["transient"] }) });
  return { trail, state, v12, v13 };
});
