// Found by the fuzzer: npm run fuzz -- --seed 300 --replay 8 (shrunk to path 8:0:0:0:1:3:3:3:3:3:3:3:3:3:1:1:1:1).
// Status: OPEN (list it in KNOWN_FAILING of regressions.test.ts until the compiler is fixed).
// divergence at error.errorMessage: SDK "toolTable[[\"add\",\"twice\",\"tally\",\"none\"][(Math.abs(...) % 4)]] is not a function" vs compiled "toolTable[[\"add\", \"twice\", \"tally\", \"none\"][Math.abs(Number(event.n)) % 4]] is not a function" (1 difference(s))
// signature: divergence error.errorMessage
//
//               SDK                                                      | compiled
//   status      FAILED                                                   | FAILED
//   result      -                                                        | -
// ! error       TypeError: toolTable[["add","twice","tally","none"][(Ma… | TypeError: toolTable[["add", "twice", "tally", "none"][…  <- first difference
//   operations                                                           |
// 1 difference(s)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

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
  return { trail, state, v0, v1 };
});
