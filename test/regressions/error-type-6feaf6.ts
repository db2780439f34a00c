// Found by the fuzzer: npm run fuzz -- --seed 300 --replay 103 (shrunk to path 103:2:4:5:4:4:4:4:4:4:4:5:5:5:5:5:5:5:5:5:5:5:5:5:5:5:6:6:6:6:6:6:6:6:7:6:4:4:4).
// Status: OPEN (list it in KNOWN_FAILING of regressions.test.ts until the compiler is fixed).
// divergence at error.errorType: SDK "TypeError" vs compiled "States.QueryEvaluationError" (3 difference(s))
// signature: divergence error.errorType
//
//               SDK                                                      | compiled
//   status      FAILED                                                   | FAILED
//   result      -                                                        | -
// ! error       TypeError: toolTable[["add","twice","tally","none"][(Ma… | States.QueryEvaluationError: The JSONata expression '$v…  <- first difference
//   operations                                                           |
// !   1         -                                                        | step "s0" STARTED attempts=0
// 3 difference(s)
import { withDurableExecution, JitterStrategy, createRetryStrategy, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

async function tally(ctx: DurableContext, label: string, n: number): Promise<number> {
  const doubled = await ctx.step(label, async () => n * 2);
  await ctx.wait({ seconds: 1 });
  return doubled + 1;
}

const toolTable = {
  add: async (ctx: DurableContext, label: string, n: number) => ctx.step(label, async () => n + 1),
  twice: async (ctx: DurableContext, label: string, n: number) => {
    await ctx.wait({ seconds: 1 });
    return ctx.step(label, async () => n * 2);
  },
  tally,
};

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  const v0: number = event.n;
  const v1: number = await toolTable[["add", "twice", "tally", "none"][Math.abs(Number(event.n)) % 4] as keyof typeof toolTable](context, "tt0", v0);
  await context.step("s0", async (stepCtx) => {
    if ((0 < 0 ? v0 : trail.length) < (v1 + event.n)) throw new Error(`fatal s0 attempt ${stepCtx.attempt}`);
    return ((v0 * 2) + (stepCtx.attempt % 2));
  }, { retryStrategy: createRetryStrategy({ maxAttempts: 1, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) });
  return { trail, state, v0, v1 };
});
