import type { Block } from "../lower/cfg.ts";
import type { Locals } from "../analyze/locals.ts";
import type { Liveness } from "../analyze/liveness.ts";
import type { ChoiceState } from "./asl-types.ts";
import { thrownBatchError } from "./jsonata-batch.ts";
import { expression, joinGuards } from "./jsonata.ts";

/**
 * A block whose code starts with `b.throwIfError()` of a map or parallel's BatchResult
 * (jsonata-batch.ts thrownBatchError): a Choice hands the first failed item's error record on,
 * as a rethrow does (error-routing.ts), or goes on to `rest`, the same block without that
 * statement; where the guard does not hold, the whole block runs in a fragment, as before.
 */
export interface ThrowIfError {
  /** JSONata for the error record thrown, missing when no item failed. */
  record: string;
  guard: string;
  /** The BatchResult local's name in the source. */
  owner: string;
  rest: Block;
}

/** The block's `throwIfError()` and its rest (registered in the liveness), or undefined. */
export function throwIfErrorOf(block: Block, locals: Locals, liveness: Liveness): ThrowIfError | undefined {
  const first = block.code[0]?.node;
  const thrown = first && thrownBatchError(first, locals);
  if (!thrown) return undefined;
  const rest: Block = { ...block, code: block.code.slice(1) };
  // What the statement reads is live into the block already: the rest reads no more than the block.
  liveness.liveIn.set(rest, liveness.liveIn.get(block)!);
  liveness.liveOut.set(rest, liveness.liveOut.get(block)!);
  return { record: thrown.record, guard: joinGuards(thrown.guards)!, owner: thrown.owner, rest };
}

/** The Choice: to `thrown` (the state that hands the record on) when an item failed, to `rest` when none did, else to the fragment. */
export function throwIfErrorChoice(throwing: ThrowIfError, next: { thrown: string; rest: string; fallback: string }, comment: string): ChoiceState {
  const rules = [
    { Condition: expression(`(${throwing.guard}) and $exists(${throwing.record})`), Next: next.thrown },
    { Condition: expression(throwing.guard), Next: next.rest },
  ];
  return { Type: "Choice", Comment: comment, Choices: rules, Default: next.fallback };
}
