import { PROMISE_MARKER_KEY } from "../../protocol/index.ts";
import { earlyCompletion } from "../analyze/checks.ts";
import type { Branch } from "../lower/cfg.ts";
import { batchMarkerJsonata } from "./batch-summary.ts";
import type { BranchGraph, MapState, ParallelState, PassState } from "./asl-types.ts";
import { wrappedRecord } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { lineOf, operationName } from "./names.ts";
import type { EmitTools, OperationSite, OpOf } from "./operation-site.ts";

/**
 * map, parallel and promise.all / allSettled: Map and Parallel states whose iterations or
 * branches are graphs of their own (docs/internals.md, "map, parallel and createCallback").
 */

/**
 * `map` / `parallel`: a Map state over the items the code before it prepared, or a Parallel
 * state, each iteration or branch a graph of its own ending in `{status, result | error}`. The
 * target gets a BatchResult marker, which fragments read as a BatchResult
 * (runtime/fragments/batch.ts); completion is decided there, in the order the items ended.
 */
export function emitBatch(site: OperationSite<OpOf<"map" | "parallel">>): void {
  const { op, name, block, target, tools } = site;
  const opName = operationName(op);
  // map, and parallel branches built from items: one graph, run per item, its name in the item.
  const perItem = op.items !== undefined;
  // Only a BatchResult that is read and can complete early depends on the order items end.
  const ended = target !== undefined && earlyCompletion(op.call) !== undefined;
  const graphs = op.branches.map((branch, i) => branchGraph(tools, branch, perItem ? `${opName}-${op.kind === "map" ? "item" : "branch"}` : `${opName}-${branch.context.name ?? i}`, { nameFromInput: perItem, ended }));
  const comment = tools.comment(op.call);
  let state: MapState | ParallelState;
  if (perItem) {
    state = {
      Type: "Map",
      Comment: comment,
      Items: expression(site.computed.batchInState ? `(${site.computed.batchInState}).items` : "$states.input.batch.items"),
      ItemSelector: expression('{"value": $states.context.Map.Item.Value.value, "name": $states.context.Map.Item.Value.name, "index": $states.context.Map.Item.Index}'),
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...graphs[0] },
    };
    if (op.maxConcurrency !== undefined) state.MaxConcurrency = op.maxConcurrency;
  } else {
    // A Parallel state has no MaxConcurrency: its branches all run at once. Without an early
    // completion (D2S2014 warns of one) the outcome is the same; only the timing differs.
    state = { Type: "Parallel", Comment: comment, Branches: graphs };
  }
  // The thresholds come with the items: from the state's own JSONata, or in its input from the
  // code or the guard Choice before it (which a map always has, and a parallel with options or
  // branches built from items); a parallel of written branches and no options has none.
  const hasBatchInput = op.kind === "map" || perItem || op.config !== undefined;
  const completion = site.computed.batchInState ? `(${site.computed.batchInState}).completion` : hasBatchInput ? "$states.input.batch.completion" : "null";
  const running = perItem ? (op.maxConcurrency ?? "null") : "null";
  if (target) state.Assign = { [target.id]: expression(batchMarkerJsonata(completion, String(running))) };
  state.Next = site.next;
  site.out.put(name, state);
  if (site.computed.name) site.entry.operation!.nameFrom = "input";
  site.out.locate(name, op.call, site.entry, block);
}

function branchGraph(tools: EmitTools, branch: Branch, marker: string, mode: { nameFromInput: boolean; ended: boolean }): BranchGraph {
  const graph = tools.subgraph(branch.cfg, { marker: { context: branch.context, name: marker, ...mode }, label: marker });
  return { StartAt: graph.startAt, States: graph.states };
}

/**
 * `promise.all` / `allSettled` (and `race` / `any` of one operation): a Parallel state, one
 * branch per operation in creation order (records that are siblings of the caller's, as under
 * the SDK), then the marker of the combinator's own child context, which takes the outcomes in
 * array order. A failure goes on to the handler: a PromiseCombinatorError carrying the first
 * failed operation's error (`any`: an AggregateError). The global `Promise.all` has no context
 * of its own: no marker, and the failure is the operation's own error.
 */
export function emitCombinator(site: OperationSite<OpOf<"promise">>): void {
  const { op, name, block, target, next, namer, out, tools } = site;
  const label = op.label ?? op.context.name ?? `Promise-${op.combinator}-line-${lineOf(op.call)}`;
  const branches = op.branches.map((cfg, i) => {
    // The first to fail in time decides what `all` rejects with, as the SDK's Promise.all does.
    const graph = tools.subgraph(cfg, { label: `${label}-${i}`, ...(op.callbacks ? { ended: true } : {}) });
    return { StartAt: graph.startAt, States: graph.states };
  });
  const outcomes = site.locals.temporary("outcomes");
  const inOrder = inArrayOrder(op);
  // context.promise.allSettled keeps its records through a step's serdes, which turns each reason
  // into a plain Error of the same name and message (values.ts, restoredReason); native ones do not.
  // context.promise.all / race / any come back through their child context's JSON (values.ts, Settled.json).
  const restored = op.native ? "" : op.combinator === "allSettled" ? `, "restored": true` : `, "json": true`;
  const settledValue = (list: string) => expression(`{"${PROMISE_MARKER_KEY}": {"combinator": "${op.combinator}"${restored}, "outcomes": ${list}}}`);
  const assign = { [outcomes.id]: expression(inOrder), ...Object.fromEntries(op.stores.map((s) => [s.local.id, expression(`$states.result[${s.branch}]`)])) };
  // Every element ran before (an `await` of a kept outcome): nothing to run, only the outcomes to read.
  const first: (ParallelState | PassState) & { Assign: Record<string, string> } =
    branches.length > 0 ? { Type: "Parallel", Comment: tools.comment(op.call), Branches: branches, Assign: assign } : { Type: "Pass", Comment: tools.comment(op.call), Assign: assign };
  out.put(name, first);
  out.locate(name, op.call, branches.length > 0 ? { siblings: true } : {}, block);
  let last: { Next?: string; End?: boolean } = first;
  if (op.native) {
    if (target) first.Assign![target.id] = settledValue(inOrder);
  } else {
    const marker = namer.name(op.context.name ?? label);
    const settled: PassState = { Type: "Pass", Comment: `${tools.comment(op.call)} promise.${op.combinator}` };
    if (target) settled.Assign = { [target.id]: settledValue(`$${outcomes.id}`) };
    first.Next = marker;
    out.put(marker, settled);
    out.locate(marker, op.call, { operation: { kind: "childContext", name: op.context.name }, childContext: { id: op.context.id, parent: op.context.parent?.id } }, block);
    last = settled;
  }
  if (op.combinator === "allSettled") {
    last.Next = next;
    return;
  }
  const [check, rejected] = [namer.name(`If-${label}-rejected`), namer.name(`${label}-rejected`)];
  last.Next = check;
  out.put(check, {
    Type: "Choice",
    Comment: tools.comment(op.call),
    Choices: [{ Condition: expression(`$count($${outcomes.id}[status = "FAILED"]) > 0`), Next: rejected }],
    Default: next,
  });
  out.locate(check, op.call);
  // Elements that wait for callbacks end in an order only the run knows: the earliest failure (array order among equal times).
  const failed = op.callbacks ? `$sort([$${outcomes.id}[status = "FAILED"]], function($l, $r) { $l.ended > $r.ended })[0].error` : `$${outcomes.id}[status = "FAILED"][0].error`;
  // any rejects only when every operation failed, with an AggregateError (one operation here).
  const error = op.combinator === "any" ? AGGREGATE_RECORD : failed;
  out.put(rejected, {
    Type: "Pass",
    Comment: `an operation failed: ${op.native ? "Promise" : "promise"}.${op.combinator} rejects${op.native ? "" : " with PromiseCombinatorError"}`,
    Assign: { [site.route.record]: expression(op.native ? error : wrappedRecord("promise", error)) },
    Next: site.route.next(),
  });
  out.locate(rejected, op.call, op.native ? {} : { failedContext: op.context.id });
}

/** The outcomes in array order: `$states.result` when the branches are the elements in order. */
function inArrayOrder(op: OpOf<"promise">): string {
  const identity = op.outcomes.length === op.branches.length && op.outcomes.every((o, i) => "branch" in o && o.branch === i);
  if (identity) return "$states.result";
  return `[${op.outcomes.map((o) => ("branch" in o ? `$states.result[${o.branch}]` : `$${o.stored.id}`)).join(", ")}]`;
}

/** What Promise.any rejects with when every promise rejected. */
const AGGREGATE_RECORD = '{"kind": "code", "Error": "AggregateError", "Cause": "All promises were rejected"}';
