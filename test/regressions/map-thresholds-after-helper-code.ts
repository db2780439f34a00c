// Found by the fuzzer (seed 170, program 162, --features all), shrunk: a map with
// `completionConfig: { toleratedFailurePercentage: 100 }` right after code (an inlined helper's
// return) that runs in a fragment. The fragment computed the map's items and thresholds into the
// Map state's input, but the state's BatchResult marker read the thresholds as null (only the
// JSONata-guarded path was counted as giving them), so one failed item of one ended the batch
// with FAILURE_TOLERANCE_EXCEEDED where the SDK says ALL_COMPLETED. Fixed: a map, and a parallel
// with options or built branches, always has its thresholds in its input
// (compiler/transform/concurrency.ts).
import { withDurableExecution, retryPresets, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

async function tally(ctx: DurableContext, label: string, n: number): Promise<number> {
  const doubled = await ctx.step(label, async () => n * 2);
  await ctx.wait({ seconds: 1 });
  return doubled + 1;
}

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  const v0: number = 0;
  const v1 = await tally(context, "h0", v0);
  const b2 = await context.map("b0", event.items, async (ctx, item, i) => {
    const r = await ctx.step(`b0-${i}`, async () => {
      if (item > 0) throw new Error(`b0 item ${i} failed`);
      return item * 2 + (event.n);
    }, { retryStrategy: retryPresets.noRetry });
    return r;
  }, { completionConfig: { toleratedFailurePercentage: 100 } });
  trail.push(`b0:${b2.successCount}/${b2.failureCount}/${b2.totalCount} ${b2.status} ${b2.completionReason}`);
  return { trail, state, v0, v1 };
});
