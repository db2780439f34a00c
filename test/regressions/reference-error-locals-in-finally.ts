// Found by the fuzzer: npm run fuzz -- --seed 1 --replay 66 (shrunk, interrupted).
// Status: passes as of 9fc6a3c (the compiler was fixed after this was found).
// divergence at error.errorType: SDK "CallbackExternalError" vs compiled "ReferenceError" (14 difference(s))
// signature: divergence error.errorType
//
//               SDK                                    | compiled
//   status      FAILED                                 | FAILED
//   result      -                                      | -
// ! error       CallbackExternalError: Callback failed | ReferenceError: x0 is not defined  <- first difference
//   operations                                         |
//     1         wait (unnamed) SUCCEEDED 1s            | wait (unnamed) SUCCEEDED 1s
// !   2         step "s0-0" SUCCEEDED attempts=1       | -
// !   3         wait (unnamed) SUCCEEDED 49s           | -
// !   4         step (unnamed) SUCCEEDED attempts=1    | -
// !   5         step "s3" SUCCEEDED attempts=1         | -
// !   6         step (unnamed) SUCCEEDED attempts=1    | -
// !   7         step "s5" SUCCEEDED attempts=1         | -
// !   8         step (unnamed) SUCCEEDED attempts=1    | -
// !   9         step "s7" FAILED attempts=1            | -
// !   10        wait (unnamed) SUCCEEDED 5s            | -
// !   11        wait (unnamed) SUCCEEDED 7s            | -
// !   12        step "s8-1" SUCCEEDED attempts=1       | -
// !   13        waitForCallback "cb0" FAILED           | -
// 14 difference(s)
import { withDurableExecution, JitterStrategy, createRetryStrategy, retryPresets, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

class LimitError extends Error {
  override name = "LimitError";
}

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
    await context.wait({ seconds: (0 < event.n && trail.includes("a")) ? 1 : 1 });
  } finally {
    for (const x0 of event.items) {
      if ((trail.length < x0 && state.count < 1)) break;
    }
  }
  state.count = await context.step(`s0-${state.count}`, async (stepCtx) => {
    if (stepCtx.attempt === 1 && event.n === (state.count % 3)) throw new RangeError(`fatal s0 attempt ${stepCtx.attempt}`);
    return ((state.count % 5) + (state.count + (-2)));
  }, { retryStrategy: createRetryStrategy({ maxAttempts: 1, initialDelay: { seconds: 2 }, backoffRate: 1, jitter: JitterStrategy.NONE, retryableErrors: ["transient"] }) });
  switch (event.mode) {
    case "c": {
    try {
    } catch (e1) {
    }
    switch (("x1" !== ("x1" as string) ? 7 : event.failUntil) % 4) {
      case 1: {
      trail.push("no-local");
      }
      // falls through
      default: {
      try {
      } catch (e2) {
        state.last = event.mode;
        const { a: v3, b: t4 } = await context.step("s1", async (stepCtx) => {
          if (stepCtx.attempt <= event.failUntil) throw new OrderError(`transient s1 attempt ${stepCtx.attempt}`);
          return { a: ((event.n + event.n) - event.n), b: event.mode };
        }, { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 }, backoffRate: 2, jitter: JitterStrategy.NONE, retryableErrors: ["transient"] }) });
        state.count -= state.count;
      } finally {
        await context.wait({ seconds: 49 });
        trail.push(`${event.mode}n=`);
      }
      const { a: v5, b: t6 } = await context.step(async (stepCtx) => {
        if (event.failAt === "s2") throw new Error(`transient s2 attempt ${stepCtx.attempt}`);
        return { a: state.count, b: event.mode };
      }, { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 6 }, backoffRate: 2, jitter: JitterStrategy.NONE }) });
      }
    }
    }
      break;
    default: {
    }
  }
  let v7 = await context.step("s3", async (stepCtx) => {
    if (stepCtx.attempt === 1 && (event.n - event.n) > (event.n + event.failUntil)) throw new OrderError(`transient s3 attempt ${stepCtx.attempt}`);
    return event.n;
  }, { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 5 }, backoffRate: 2, jitter: JitterStrategy.NONE, retryableErrors: ["transient"] }) });
  v7 += await context.step(async () => {
    return (v7 + 8);
  }, { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, backoffRate: 2, jitter: JitterStrategy.NONE }) });
  try {
    {
      try {
        v7 = await context.step("s5", async (stepCtx) => {
          if (event.failAt === "s5") throw new OrderError(`transient s5 attempt ${stepCtx.attempt}`);
          return ((2 + state.count) - (v7 + event.n));
        }, { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 5 }, backoffRate: 2, jitter: JitterStrategy.NONE, retryableErrors: ["transient"] }) });
        const v8 = await context.step(async () => {
          return v7;
        });
        const v9 = await context.step("s7", async (stepCtx) => {
          if (stepCtx.attempt <= 1) throw new OrderError(`transient s7 attempt ${stepCtx.attempt}`);
          return ((v7 % 2) * 2);
        }, { retryStrategy: createRetryStrategy({ maxAttempts: 1, initialDelay: { seconds: 9 }, backoffRate: 2, jitter: JitterStrategy.NONE, retryableErrors: ["transient"] }) });
      } catch (e10) {
      } finally {
      }
      loop11: for (const x12 of [0, 5]) {
        await context.wait({ seconds: ((x12 * 2) % 4) + 5 });
      }
    }
  } catch (e13) {
  } finally {
    try {
      const v14: number = v7;
      await context.step(`s8-${1}`, async (stepCtx) => {
        if (event.failAt === "s8") throw new OrderError(`transient s8 attempt ${stepCtx.attempt}`);
        return (v14 % 3);
      }, { retryStrategy: retryPresets.noRetry });
      let w15 = 0;
      do {
        w15++;
        if (event.items.length < (w15 - 7)) throw new LimitError("");
      } while (w15 < 0);
    } catch (e16) {
      trail.push((e16 as Error).message);
      for (const x17 of [5, 5, 5]) {
        if (((-3) !== (1 as number) ? (-1) : state.tags.length) >= event.n) continue;
        v7 -= v7;
        continue;
      }
    } finally {
      const t18 = await context.waitForCallback("cb0", async () => {}, { timeout: { hours: 29 }, retryStrategy: retryPresets.noRetry });
      throw new RangeError(event.mode);
    }
    trail.push((`:${event.n}at ${v7}:` + "c"));
    state.tags.push(state.last);
  }
  return { trail, state, v7 };
});
