import type { Block, DurableOp } from "../lower/cfg.ts";
import type { Local } from "../analyze/locals.ts";
import { nativeRetrier } from "./retry.ts";
import { serdesValue } from "./serdes.ts";

/**
 * `return await ctx.step(...)` (in the handler, a map item or a parallel branch): the block after
 * the step only returns the step's result, so the step's Task can end the graph with it as its
 * Output (step.ts), the fragment saying what a result the machine would read as a marker stands
 * for (dispatcher.ts `returning`). One Choice and one Succeed fewer. Only for a step whose
 * retries are the Task's own Retry (a retry loop has states after the Task) and with no serdes
 * (its result is read back by a state of its own).
 */
export function returnsResult(op: DurableOp, target: Local | undefined, next: Block): boolean {
  if (op.kind !== "step" || !target || !nativeRetrier(op.config?.node) || serdesValue(op.config?.node)) return false;
  const t = next.term;
  if (next.code.length > 0 || t.kind !== "return" || !t.value?.opaque || t.value.jsonata !== undefined) return false;
  const reads = [...t.value.piece.reads];
  return reads.length === 1 && reads[0] === target && t.value.piece.text === target.id;
}
