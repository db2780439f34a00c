import { Node, type CallExpression, type Expression } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { asDurableCall, type DurableCall } from "../parse/durable-calls.ts";
import { MAP_OPTIONS, PARALLEL_BRANCH, PARALLEL_OPTIONS } from "../parse/operation-options.ts";
import { readOptions } from "../parse/options.ts";
import * as refuse from "../analyze/refusals.ts";
import type { BatchOp, Branch, ChildContext, Combinator, CombinatorOp, ValueExpr } from "./cfg.ts";
import type { Local } from "../analyze/locals.ts";
import { takePending, unsettled, type PendingOp } from "./pending.ts";
import type { BranchFunction, Lowering } from "./context.ts";
import { asyncFunctionNamed } from "./expressions.ts";
import { scopeChain } from "./inline.ts";
import { builtBranches } from "./built-branches.ts";
import { combinedCallback, type PendingCallback } from "./callbacks.ts";

/**
 * map, parallel and promise.all / allSettled: each map function, parallel branch or combinator
 * element is lowered by a lowering of its own (`fork`) into a graph of its own, sharing the
 * numbering of child contexts; the calling graph gets one `op` terminator for the whole batch.
 */

export function parseBatch(lo: Lowering, call: CallExpression, kind: "map" | "parallel", name: ValueExpr | string | null, args: Expression[]): BatchOp {
  const [first, second, third] = args;
  const configArg = kind === "map" ? third : second;
  const { config, maxConcurrency } = batchConfig(lo, configArg, kind);
  if (kind === "map") {
    if (!first || !second) fail(call, messages.D2S2004.mapArguments());
    const fn = branchFunction(second, "the map function");
    return { kind, call, name, items: lo.checkedValue(first, "map items"), config, maxConcurrency, branches: [lowerBranch(lo, fn, call, null, kind)] };
  }
  const built = first && !Node.isArrayLiteralExpression(first) ? builtBranches(first) : undefined;
  if (built) {
    // One branch body, run per item by a Map state (built-branches.ts).
    const branch = lowerBranch(lo, { fn: built.branch, named: false }, call, null, kind, built.mapper);
    return { kind, call, name, items: lo.checkedValue(built.items, "parallel items"), config, maxConcurrency, branches: [branch] };
  }
  if (!first || !Node.isArrayLiteralExpression(first)) {
    fail(first ?? call, messages.D2S2004.parallelNotArray());
  }
  const branches = first.getElements().map((element, i) => {
    if (Node.isObjectLiteralExpression(element)) {
      const { values } = readOptions(PARALLEL_BRANCH, element)!;
      const branchName = values.name?.literal as string | undefined;
      return lowerBranch(lo, branchFunction(values.func!.value!, "a parallel branch"), call, branchName ?? `parallel-branch-${i}`, kind);
    }
    return lowerBranch(lo, branchFunction(element, "a parallel branch"), call, `parallel-branch-${i}`, kind);
  });
  return { kind, call, name, config, maxConcurrency, branches };
}

/**
 * The elements run as Parallel branches in the order their operations were created: every
 * operation started before the combinator and not run yet (pending.ts), taken or not, then the
 * ones written in the array. An element an earlier combinator ran is read from its outcome.
 */
export function parseCombinator(lo: Lowering, call: CallExpression, combinator: Combinator, name: ValueExpr | string | null, args: Expression[], native: boolean): CombinatorOp {
  refuse.refuseComputedName(name, "a promise combinator's");
  const [list] = args;
  const what = native ? `Promise.${combinator}` : `context.promise.${combinator}`;
  if (!list || !Node.isArrayLiteralExpression(list)) fail(list ?? call, messages.D2S2004.combinatorNotArray({ combinator: what }));
  // Before the elements are taken out of the started set: their creation order.
  const started = unsettled(lo);
  const elements = list.getElements().map((element): CombinedElement => {
    // A createCallback's promise: its Task waits in a branch (create-callback-shape.ts, `combined`).
    const callback = combinedCallback(lo, element);
    if (callback) return { callback };
    const pending = takePending(lo, element);
    const op = pending?.call ?? asDurableCall(element);
    refuse.refuseCombinatorElement(element, op, what);
    return { op, settled: pending?.settled };
  });
  refuse.refuseFirstToEnd(call, combinator, elements.length, what);
  return combine(lo, call, combinator, name, elements, native, started);
}

/** An element of a combinator's array: an operation (or the kept outcome of one run already), or a createCallback's promise. */
type CombinedElement = { op: DurableCall; settled?: Local; callback?: undefined } | { callback: PendingCallback; op?: undefined; settled?: undefined };

/**
 * `await context.step(...)` while operations started before still wait to run: they run beside
 * it, in one Parallel state (their records come first, as under the SDK), and the handler gets
 * the step's own result or error, as `Promise.race([step])` would give.
 */
export function runBesideStarted(lo: Lowering, op: DurableCall): CombinatorOp {
  return combine(lo, op.call, "race", null, [{ op, settled: undefined }], true, unsettled(lo));
}

/**
 * Every started operation not run yet, run now in one Parallel state, each outcome kept for its
 * own consumer (`stores`): before the consumer, when plain code stood between (started-settle.ts).
 */
export function settleStarted(lo: Lowering, first: PendingOp): CombinatorOp {
  const op = combine(lo, first.call.call, "allSettled", null, [], true, unsettled(lo));
  return { ...op, label: `Run-started-operations-line-${first.declaration.getStartLineNumber()}` };
}

function combine(
  lo: Lowering,
  call: CallExpression,
  combinator: Combinator,
  name: string | null,
  elements: CombinedElement[],
  native: boolean,
  started: PendingOp[],
): CombinatorOp {
  const operations = elements.flatMap((e) => (e.op && !e.settled && !started.some((p) => p.call.call === e.op.call) ? [e.op] : []));
  const run = [...started.map((p) => p.call), ...operations];
  // Callbacks were created before (their marker states made the records): their Tasks wait after the operations' branches.
  const callbacks = elements.flatMap((e) => (e.callback ? [e.callback] : []));
  const branches = [...run.map((op) => lo.fork(lo.fn).buildOperationBranch(op, lo.childContext)), ...callbacks.map((cb) => lo.fork(lo.fn).buildCallbackBranch(cb, lo.childContext))];
  const branchOf = (op: DurableCall) => run.findIndex((r) => r.call === op.call);
  const outcomes = elements.map((e) => (e.callback ? { branch: run.length + callbacks.indexOf(e.callback) } : e.settled ? { stored: e.settled } : { branch: branchOf(e.op) }));
  // Started and left out: run here, read later by their own consumer.
  const stores = [...lo.pending.values()].filter((p) => !p.settled).map((p) => ({ local: (p.settled = lo.locals.temporary("started")), branch: branchOf(p.call) }));
  const context: ChildContext = { id: ++lo.counters.child, name, call, parent: lo.childContext };
  return { kind: "promise", call, name, combinator, native, outcomes, stores, branches, context, ...(callbacks.length > 0 ? { callbacks: true } : {}) };
}

/** `await a` of an operation a combinator ran already: `Promise.race([a])` of its kept outcome. */
export function settledAwait(lo: Lowering, call: DurableCall): CombinatorOp {
  const pending = [...lo.pending.values()].find((p) => p.call.call === call.call)!;
  const context: ChildContext = { id: ++lo.counters.child, name: null, call: call.call, parent: lo.childContext };
  return { kind: "promise", call: call.call, name: null, combinator: "race", native: true, outcomes: [{ stored: pending.settled! }], stores: [], branches: [], context };
}

/** Written inline, or the name of an async function of this file (`context.map("m", items, process)`). */
function branchFunction(node: Node, what: string): { fn: BranchFunction; named: boolean } {
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return { fn: node, named: false };
  const named = asyncFunctionNamed(node);
  if (!named) fail(node, messages.D2S2004.functionNotInline({ what }));
  return { fn: named, named: true };
}

/** Each branch runs in a context of its own, named at run time for map items (and branches built from items, whose `mapper` gives the item and index). */
function lowerBranch(lo: Lowering, { fn, named }: { fn: BranchFunction; named: boolean }, call: CallExpression, name: string | null, kind: "map" | "parallel", mapper?: BranchFunction): Branch {
  // A named function is a helper: it may also run elsewhere, and reach itself through the branch.
  if (named && scopeChain(lo).some((l) => l.fn === fn || l.inlining.includes(fn))) refuse.refuseRecursion(call);
  if (mapper) lo.locals.addInlinedFunction(mapper);
  lo.locals.addInlinedFunction(fn, named);
  const context: ChildContext = { id: ++lo.counters.child, name, call };
  const cfg = lo.fork(fn).buildBranch(context, kind, mapper);
  return { cfg, context };
}

/** The options object (operation-options.ts): evaluated by code, with a literal maxConcurrency lifted out for the state. */
function batchConfig(lo: Lowering, arg: Expression | undefined, kind: "map" | "parallel"): { config?: ValueExpr; maxConcurrency?: number } {
  const read = readOptions(kind === "map" ? MAP_OPTIONS : PARALLEL_OPTIONS, arg);
  if (!read) return {};
  return { config: lo.checkedValue(read.written, `${kind} options`), maxConcurrency: read.values.maxConcurrency?.literal as number | undefined };
}
