import { Node, type CallExpression, type Expression, type Identifier } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { splitName } from "../parse/durable-calls.ts";
import { CHILD_CONTEXT_OPTIONS } from "../parse/operation-options.ts";
import { readOptions } from "../parse/options.ts";
import type { Local } from "../analyze/locals.ts";
import * as refuse from "../analyze/refusals.ts";
import { renderCode } from "../analyze/render.ts";
import type { Block, ChildContext } from "./cfg.ts";
import { lowerReturn } from "./jumps.ts";
import type { HelperFunction, Lowering } from "./context.ts";

/**
 * Inlined function bodies: runInChildContext (behind an `enter` marker, with an error handler
 * that wraps what leaves it) and async helpers of the same file that take the DurableContext.
 * Break and continue never cross into an inlined body; its returns set a result local and go to
 * the block after the call.
 */

/**
 * `runInChildContext(name, async (child) => ...)`: the function's body is inlined behind a
 * marker state that names the context; an error leaving it is wrapped in ChildContextError.
 */
export function inlineChildContext(lo: Lowering, call: CallExpression, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
  const split = splitName(call);
  const written = lo.operationName(split.name);
  const name = typeof written === "string" ? written : null;
  const [fn, options] = split.rest;
  readOptions(CHILD_CONTEXT_OPTIONS, options);
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) {
    fail(fn ?? call, messages.D2S2004.childContextNotInline());
  }
  lo.locals.addInlinedFunction(fn);
  // The body's operations must be called on its own context (the parameter), as the SDK demands.
  const scope = ++lo.counters.scope;
  const param = fn.getParameters()[0];
  if (param) {
    refuse.refuseContextPattern(param);
    Object.assign(lo.locals.resolve(param.getNameNode())!, { isContext: true, contextScope: scope });
  }
  const context: ChildContext = { id: ++lo.counters.child, name, call, parent: lo.childContext };
  // A computed name is what the SDK records: the code before the marker state computes it.
  if (written !== null && typeof written !== "string") context.computedName = written;
  const record = lo.locals.temporary(`childError${context.id}`);
  // The wrapping state and the exit belong to the outer context and run under the outer handler.
  const wrap = lo.newBlock(call);
  wrap.term = { kind: "wrapChild", context, record };
  const exit = lo.newBlock(at);
  const saved = { handler: lo.tryHandler, context: lo.childContext, scope: lo.contextScope };
  lo.childContext = context;
  lo.contextScope = scope;
  lo.tryHandler = { entry: wrap, record };
  const body = lo.newBlock(fn);
  lo.cur.term = { kind: "enter", context, next: body };
  lo.startAt(body);
  const result = lowerInlinedBody(lo, fn, exit, true);
  lo.tryHandler = saved.handler;
  lo.childContext = saved.context;
  lo.contextScope = saved.scope;
  lo.startAt(exit);
  assignResult(lo, target, result, declareAs);
}

/** Lowers an inlined function's body: its returns set the result local and go to `exit`. */
function lowerInlinedBody(lo: Lowering, fn: HelperFunction, exit: Block, throughJson: boolean): Local {
  const result = lo.locals.temporary("returned");
  lo.cur.code.push(lo.synthetic(`let ${result.id};`, [], [], [result]));
  const savedJumps = lo.jumps;
  lo.jumps = []; // break and continue never cross a function boundary
  lo.returns.push({ result, exit, finallyDepth: lo.finallies.length, throughJson });
  lo.inlining.push(fn);
  const body = fn.getBody();
  if (body && Node.isBlock(body)) lo.statements(body.getStatements());
  else if (body) lowerReturn(lo, body as Expression, body);
  lo.inlining.pop();
  lo.returns.pop();
  lo.jumps = savedJumps;
  lo.goto(exit);
  return result;
}

/** The lowering of this ASL scope and of every scope enclosing it. */
export function scopeChain(lo: Lowering): Lowering[] {
  const chain: Lowering[] = [];
  for (let l: Lowering | undefined = lo; l; l = l.parent) chain.push(l);
  return chain;
}

function assignResult(lo: Lowering, target: Local | undefined, result: Local, declareAs?: "const" | "let"): void {
  if (!target) return;
  if (declareAs) lo.cur.code.push(lo.synthetic(`${declareAs} ${target.id} = ${result.id};`, [result], [], [target]));
  else lo.cur.code.push(lo.synthetic(`${target.id} = ${result.id};`, [result], [target]));
}

/**
 * Inlines `await helper(context, ...)`: the helper's body becomes part of the graph, its
 * parameters locals set from the arguments, its returns jumps to after the call.
 */
export function inlineHelper(lo: Lowering, call: CallExpression, fn: HelperFunction, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
  if (scopeChain(lo).some((l) => l.inlining.includes(fn))) refuse.refuseRecursion(call);
  lo.helpers.add(fn);
  lo.locals.addInlinedFunction(fn, true);
  const args = call.getArguments() as Expression[];
  fn.getParameters().forEach((param, i) => {
    const arg = args[i];
    const nameNode = param.getNameNode();
    if (arg && lo.isContextReference(arg)) {
      refuse.refuseContextPattern(param);
      Object.assign(lo.locals.resolve(nameNode)!, { isContext: true, contextScope: lo.locals.resolve(arg as Identifier)?.contextScope });
      return;
    }
    if (arg) refuse.refuseDurableInside(arg, "a helper argument");
    const value = arg ? renderCode(arg, lo.locals) : undefined;
    const init = param.getInitializer();
    const fallback = init ? renderCode(init, lo.locals) : undefined;
    const pattern = renderCode(nameNode, lo.locals);
    const text = value
      ? fallback
        ? `let ${pattern.text} = ((v) => (v === undefined ? ${fallback.text} : v))(${value.text});`
        : `let ${pattern.text} = ${value.text};`
      : `let ${pattern.text} = ${fallback?.text ?? "undefined"};`;
    lo.cur.code.push(lo.synthetic(text, [...(value?.reads ?? []), ...(fallback?.reads ?? [])], [], [...pattern.declares]));
  });
  const exit = lo.newBlock(at);
  const result = lowerInlinedBody(lo, fn, exit, false);
  lo.startAt(exit);
  assignResult(lo, target, result, declareAs);
}
