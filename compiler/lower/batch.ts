import { Node, type CallExpression, type Expression } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { asDurableCall, type DurableCall } from "../parse/durable-calls.ts";
import { MAP_OPTIONS, PARALLEL_BRANCH, PARALLEL_OPTIONS } from "../parse/operation-options.ts";
import { readOptions } from "../parse/options.ts";
import * as refuse from "../analyze/refusals.ts";
import type { BatchOp, Branch, ChildContext, Combinator, CombinatorOp, ValueExpr } from "./cfg.ts";
import { refuseLeftOut, takePending } from "./pending.ts";
import type { BranchFunction, Lowering } from "./context.ts";
import { asyncFunctionNamed } from "./expressions.ts";
import { scopeChain } from "./inline.ts";

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
 * The elements run as Parallel branches in the order their operations were created: those
 * started before the combinator (pending.ts) first, then the ones written in the array; `order`
 * maps each element back to its branch.
 */
export function parseCombinator(lo: Lowering, call: CallExpression, combinator: Combinator, name: ValueExpr | string | null, args: Expression[], native: boolean): CombinatorOp {
  refuse.refuseComputedName(name, "a promise combinator's");
  const [list] = args;
  const what = native ? `Promise.${combinator}` : `context.promise.${combinator}`;
  if (!list || !Node.isArrayLiteralExpression(list)) fail(list ?? call, messages.D2S2004.combinatorNotArray({ combinator: what }));
  const started = [...lo.pending.values()].map((p) => p.call.call);
  const elements = list.getElements().map((element) => {
    const op = takePending(lo, element) ?? asDurableCall(element);
    refuse.refuseCombinatorElement(element, op, what);
    return op;
  });
  refuseLeftOut(lo, call);
  refuse.refuseFirstToEnd(call, combinator, elements.length, what);
  const rank = (op: DurableCall) => (started.includes(op.call) ? started.indexOf(op.call) : started.length + elements.indexOf(op));
  const creation = [...elements].sort((a, b) => rank(a) - rank(b));
  const branches = creation.map((op) => lo.fork(lo.fn).buildOperationBranch(op, lo.childContext));
  const order = elements.map((op) => creation.indexOf(op));
  const context: ChildContext = { id: ++lo.counters.child, name, call, parent: lo.childContext };
  return { kind: "promise", call, name, combinator, native, order, branches, context };
}

/** Written inline, or the name of an async function of this file (`context.map("m", items, process)`). */
function branchFunction(node: Node, what: string): { fn: BranchFunction; named: boolean } {
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return { fn: node, named: false };
  const named = asyncFunctionNamed(node);
  if (!named) fail(node, messages.D2S2004.functionNotInline({ what }));
  return { fn: named, named: true };
}

/** Each branch runs in a context of its own, named at run time for map items. */
function lowerBranch(lo: Lowering, { fn, named }: { fn: BranchFunction; named: boolean }, call: CallExpression, name: string | null, kind: "map" | "parallel"): Branch {
  // A named function is a helper: it may also run elsewhere, and reach itself through the branch.
  if (named && scopeChain(lo).some((l) => l.fn === fn || l.inlining.includes(fn))) refuse.refuseRecursion(call);
  lo.locals.addInlinedFunction(fn, named);
  const context: ChildContext = { id: ++lo.counters.child, name, call };
  const cfg = lo.fork(fn).buildBranch(context, kind);
  return { cfg, context };
}

/** The options object (operation-options.ts): evaluated by code, with a literal maxConcurrency lifted out for the state. */
function batchConfig(lo: Lowering, arg: Expression | undefined, kind: "map" | "parallel"): { config?: ValueExpr; maxConcurrency?: number } {
  const read = readOptions(kind === "map" ? MAP_OPTIONS : PARALLEL_OPTIONS, arg);
  if (!read) return {};
  return { config: lo.checkedValue(read.node, `${kind} options`), maxConcurrency: read.values.maxConcurrency?.literal as number | undefined };
}
