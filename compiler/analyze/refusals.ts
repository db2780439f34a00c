import { Node, SyntaxKind, type CallExpression, type Expression, type ParameterDeclaration, type Statement } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { containsDurableCall, insideOperationFunction, isLoggerAccess, type DurableCall } from "../parse/durable-calls.ts";
import type { Locals } from "./locals.ts";

/**
 * What the lowering refuses, and why: each check is called where the lowering meets the
 * construct, so the first refusal in source order is the one reported.
 */

/** Dynamic scoping, generators and `var` hoisting have no fixed graph: outside the supported syntax. */
export function refuseUnsupportedSyntax(statement: Statement): void {
  const bad = (n: Node): string | undefined => {
    if (Node.isWithStatement(n)) return "`with`";
    if (Node.isCallExpression(n) && n.getExpression().getText() === "eval") return "`eval`";
    if ((Node.isFunctionDeclaration(n) || Node.isFunctionExpression(n)) && n.isGenerator()) return "a generator function";
    if (Node.isYieldExpression(n)) return "`yield`";
    if (Node.isVariableStatement(n) && n.getDeclarationKind() === "var") return "`var`";
    return undefined;
  };
  for (const n of [statement, ...statement.getDescendants()]) {
    const what = bad(n);
    if (what) fail(n, messages.D2S2006.unsupportedSyntax({ what }));
  }
}

/** An operation's result is a state's output: it cannot be computed in the middle of an expression. */
export function refuseDurableInside(node: Node, where: string): void {
  if (containsDurableCall(node)) {
    fail(node, messages.D2S2007.inside({ where }));
  }
}

/** A statement kind the lowering has no rule for, holding a durable operation. */
export function refuseOperationInStatement(statement: Statement): never {
  fail(statement, messages.D2S2007.insideStatement({ kind: statement.getKindName() }));
}

export function refuseOperationInExpression(expression: Expression): never {
  const functionHoldingOperation = [expression, ...expression.getDescendants()].some((n) => (Node.isArrowFunction(n) || Node.isFunctionExpression(n)) && containsDurableCall(n.getBody()));
  fail(expression, functionHoldingOperation ? messages.D2S2007.functionAsValue() : messages.D2S2007.insideExpression());
}

/** Un-awaited operations run concurrently under the SDK; a state machine runs one state at a time. */
export function refuseUnawaited(expression: Expression): never {
  fail(expression, messages.D2S2007.notAwaited());
}

/** `void context.wait(...)`: under the SDK it runs on while the handler goes on, and may outlive it. */
export function refuseNeverAwaited(expression: Expression): never {
  fail(expression, messages.D2S2007.neverAwaited());
}

/** Code between operations runs in a fragment, where the DurableContext offers only its logger. */
export function refuseContextUse(statement: Statement, isContext: (n: Node) => boolean): void {
  for (const n of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (!isContext(n)) continue;
    if (isLoggerAccess(n)) continue;
    if (insideOperationFunction(n, statement)) continue;
    fail(n, messages.D2S2011.cannotFollow());
  }
}

/** The compiler follows the DurableContext only into functions whose body it can inline. */
export function refuseUnseenHelper(call: CallExpression, tableReason?: string): never {
  const callee = call.getExpression();
  if (tableReason) fail(call, messages.D2S2004.tableNotSeen({ callee: callee.getText(), reason: tableReason }));
  const picked = Node.isPropertyAccessExpression(callee) || Node.isElementAccessExpression(callee);
  fail(call, messages.D2S2004.contextPassedAway(picked ? { callee: callee.getText() } : {}));
}

/** A state machine has a fixed shape: a helper cannot be inlined into itself. */
export function refuseRecursion(call: CallExpression): never {
  fail(call, messages.D2S2010.recursiveHelper());
}

/** Operations with no faithful ASL form (createCallback has one shape: create-callback-shape.ts). */
export function refuseUnsupportedOperation(call: CallExpression, method: string): never {
  switch (method) {
    case "createCallback":
      fail(call, messages.D2S2015.oneShapeOnly());
    default:
      fail(call, messages.D2S2009.notSupported({ method }));
  }
}

/** Custom serdes are functions of the handler's process the fragments function does not run yet (configureLogger: logger-config.ts). */
export function refuseConfiguration(expression: Expression, { method }: DurableCall): void {
  if (method === "configureSerdes") fail(expression, messages.D2S2009.loggerOrSerdes({ method }));
}

/** The element operations of a combinator become Parallel branches of one operation each. */
export function refuseCombinatorElement(element: Node, op: DurableCall | undefined, combinator: string): asserts op is DurableCall {
  if (!op || ["createCallback", "map", "parallel"].includes(op.method) || op.method.startsWith("promise.")) {
    fail(element, messages.D2S2004.combinatorElement({ combinator }));
  }
}

/**
 * race / any settle with the first operation to end (any: to succeed). With one element that is
 * that element; with more, which one ends first is timing, under the SDK as on Step Functions.
 */
export function refuseFirstToEnd(call: CallExpression, combinator: string, elements: number, method: string): void {
  if ((combinator === "race" || combinator === "any") && elements !== 1) fail(call, messages.D2S2009.firstToEnd({ method }));
}

/** A context's name is its record's name in the trace, fixed when the machine is built. */
export function refuseComputedName(name: { node: Node } | string | null, what: string): asserts name is string | null {
  if (name !== null && typeof name !== "string") fail(name.node, messages.D2S2008.computedName({ what }));
}

// ---- parameters and bindings ----------------------------------------------------------------

export function refuseEventPattern(param: ParameterDeclaration | undefined): void {
  if (param && !Node.isIdentifier(param.getNameNode())) {
    fail(param, messages.D2S2006.destructuredEvent());
  }
}

/** The DurableContext is followed by its name: a destructured one would lose it. */
export function refuseContextPattern(param: ParameterDeclaration): void {
  if (!Node.isIdentifier(param.getNameNode())) fail(param, messages.D2S2011.contextDestructured());
}

/** `(ctx, item, index)` for map, `(ctx)` for parallel, each a plain name (they become ASL Variables). */
export function refuseBranchParameters(params: ParameterDeclaration[], kind: "map" | "parallel"): void {
  const [contextParam, itemParam, indexParam, arrayParam] = params;
  if (arrayParam) fail(arrayParam, messages.D2S2008.mapArrayParameter());
  if (kind === "parallel" && itemParam) fail(itemParam, messages.D2S2004.parallelBranchParameters());
  for (const param of [contextParam, itemParam, indexParam]) {
    if (param && !Node.isIdentifier(param.getNameNode())) fail(param, messages.D2S2011.branchParameterDestructured());
  }
}

/** The error is an error record in an ASL Variable; its fields are read from it by name. */
export function refuseCatchPattern(nameNode: Node): void {
  if (!Node.isIdentifier(nameNode)) fail(nameNode, messages.D2S2006.destructuredCatch());
}

/** Async iteration pulls items one by one from code: the items of a loop over operations are taken once, as JSON. */
export function refuseForAwait(statement: Statement): void {
  if (Node.isForOfStatement(statement) && statement.isAwaited()) fail(statement, messages.D2S2006.forAwait());
}

/**
 * `context.step(...)` inside `runInChildContext`, a map function or a parallel branch, where
 * `context` is an enclosing function's context (`scope` is the context operations may be called
 * on there, Local.contextScope): the SDK fails the execution ("Context usage error ... parent or
 * sibling context"), which a state machine would not reproduce.
 */
export function refuseOuterContext({ call, method, receiver }: DurableCall, locals: Locals, scope: number): void {
  const holder = Node.isPropertyAccessExpression(receiver) && method.startsWith("promise.") ? receiver.getExpression() : receiver;
  const held = Node.isIdentifier(holder) ? locals.resolve(holder)?.contextScope : undefined;
  if (held !== undefined && held !== scope) fail(call, messages.D2S2017.outerContext({ method, context: holder.getText() }));
}
