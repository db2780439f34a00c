import { BATCH_MARKER, PROMISE_MARKER_KEY } from "../../protocol/index.ts";
import type { BatchOp, Block, Branch, CombinatorOp } from "../analyze/cfg.ts";
import type { Local } from "../analyze/locals.ts";
import { wrappedRecord } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import type { AslState, SourceMapEntry, StateBuilder } from "./states.ts";

/**
 * map, parallel and promise.all / allSettled: Map and Parallel states whose iterations or
 * branches are graphs of their own (docs/internals.md, "map, parallel and createCallback").
 */


/**
 * `map` / `parallel`: a Map state over the items the code before it prepared, or a Parallel
 * state, each iteration or branch a graph of its own ending in `{status, result | error}`. The
 * target gets a BatchResult marker, which fragments read as a BatchResult
 * (runtime/fragments/batch.ts); completion is decided there, over the items in index order.
 */
export function emitBatch(b: StateBuilder, name: string, block: Block, op: BatchOp, target: Local | undefined, next: string, entry: Partial<SourceMapEntry>, computed: { name?: boolean }): void {
  const opName = b.operationName(op);
  const graphs = op.branches.map((branch, i) => branchGraph(b, branch, op.kind === "map" ? `${opName}-item` : `${opName}-${branch.context.name ?? i}`, op.kind === "map"));
  const state: AslState = { Type: op.kind === "map" ? "Map" : "Parallel", Comment: b.comment(op.call) };
  if (op.kind === "map") {
    state.Items = expression("$states.input.batch.items");
    state.ItemSelector = expression('{"value": $states.context.Map.Item.Value.value, "name": $states.context.Map.Item.Value.name, "index": $states.context.Map.Item.Index}');
    state.ItemProcessor = { ProcessorConfig: { Mode: "INLINE" }, ...graphs[0] };
  } else {
    state.Branches = graphs;
  }
  // A Parallel state has no MaxConcurrency: its branches all run at once. Without an early
  // completion (D2S2014 warns of one) the outcome is the same; only the timing differs.
  if (op.maxConcurrency !== undefined && op.kind === "map") state.MaxConcurrency = op.maxConcurrency;
  const completion = b.batchNeedsCode(op) ? "$states.input.batch.completion" : "null";
  const running = op.kind === "map" ? (op.maxConcurrency ?? "null") : "null";
  if (target) state.Assign = { [target.id]: expression(`{"${BATCH_MARKER}": {"outcomes": $states.result, "completion": ${completion}, "maxConcurrency": ${running}}}`) };
  state.Next = next;
  b.states.set(name, state);
  if (computed.name) entry.operation!.nameFrom = "input";
  b.locate(name, op.call, entry, block);
}

export function branchGraph(b: StateBuilder, branch: Branch, marker: string, nameFromInput: boolean): { StartAt: string; States: Record<string, AslState> } {
  const graph = b.subgraph(branch.cfg, { marker: { context: branch.context, name: marker, nameFromInput }, label: marker });
  return { StartAt: graph.startAt, States: graph.states };
}

/**
 * `promise.all` / `allSettled`: a Parallel state, one branch per operation (records that are
 * siblings of the caller's, as under the SDK), then the marker of the combinator's own child
 * context, which takes the outcomes; `all` goes on to the handler with a
 * PromiseCombinatorError carrying the first failed operation's error.
 */
export function emitCombinator(b: StateBuilder, name: string, block: Block, op: CombinatorOp, target: Local | undefined, next: string): void {
  const label = op.context.name ?? `Promise-${op.combinator}-line-${b.line(op.call)}`;
  const branches = op.branches.map((cfg, i) => {
    const graph = b.subgraph(cfg, { label: `${label}-${i}` });
    return { StartAt: graph.startAt, States: graph.states };
  });
  const outcomes = b.locals.temporary("outcomes");
  const marker = b.namer.name(op.context.name ?? label);
  b.states.set(name, { Type: "Parallel", Comment: b.comment(op.call), Branches: branches, Assign: { [outcomes.id]: expression("$states.result") }, Next: marker });
  b.locate(name, op.call, { siblings: true }, block);
  const settled: AslState = { Type: "Pass", Comment: `${b.comment(op.call)} promise.${op.combinator}` };
  if (target) settled.Assign = { [target.id]: expression(`{"${PROMISE_MARKER_KEY}": {"combinator": "${op.combinator}", "outcomes": $${outcomes.id}}}`) };
  b.states.set(marker, settled);
  b.locate(marker, op.call, { operation: { kind: "childContext", name: op.context.name }, childContext: { id: op.context.id, parent: op.context.parent?.id } }, block);
  if (op.combinator === "allSettled") {
    settled.Next = next;
    return;
  }
  const [check, rejected] = [b.namer.name(`If-${label}-rejected`), b.namer.name(`${label}-rejected`)];
  settled.Next = check;
  b.states.set(check, {
    Type: "Choice",
    Comment: b.comment(op.call),
    Choices: [{ Condition: expression(`$count($${outcomes.id}[status = "FAILED"]) > 0`), Next: rejected }],
    Default: next,
  });
  b.locate(check, op.call);
  const failed = `$${outcomes.id}[status = "FAILED"][0].error`;
  b.states.set(rejected, {
    Type: "Pass",
    Comment: "an operation failed: promise.all rejects with PromiseCombinatorError",
    Assign: { [b.errorGoesTo(block).record]: expression(wrappedRecord("promise", failed)) },
    Next: b.errorGoesTo(block).next,
  });
  b.locate(rejected, op.call, { failedContext: op.context.id });
}
