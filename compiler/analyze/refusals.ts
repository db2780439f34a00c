import { Node, SyntaxKind, type CallExpression, type Expression, type ParameterDeclaration, type Statement } from "ts-morph";
import { fail } from "../diagnostics.ts";
import { containsDurableCall, insideOperationFunction, type DurableCall } from "../parse/durable-calls.ts";
import { CREATE_CALLBACK_SHAPE } from "./create-callback-shape.ts";

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
  const found = [statement, ...statement.getDescendants()].find((n) => bad(n));
  if (found) {
    fail(found, "D2S2006", `${bad(found)} is outside the supported syntax of a durable handler`, "use `let`/`const` and plain functions; move dynamic code into a step");
  }
}

/** An operation's result is a state's output: it cannot be computed in the middle of an expression. */
export function refuseDurableInside(node: Node, where: string): void {
  if (containsDurableCall(node)) {
    fail(node, "D2S2007", `a durable operation inside ${where} is not supported`, "await the operation in its own statement (`const x = await context.step(...)`) and use `x` here");
  }
}

/** A statement kind the lowering has no rule for, holding a durable operation. */
export function refuseOperationInStatement(statement: Statement): never {
  fail(statement, "D2S2007", `a durable operation inside a ${statement.getKindName()} is not supported`, "move the durable operation into its own statement");
}

export function refuseOperationInExpression(expression: Expression): never {
  fail(expression, "D2S2007", "a durable operation inside this expression is not supported", "await the operation in its own statement (`const x = await context.step(...)`) and use `x` here");
}

/** Un-awaited operations run concurrently under the SDK; a state machine runs one state at a time. */
export function refuseUnawaited(expression: Expression): never {
  fail(expression, "D2S2007", "a durable operation must be awaited where it is called", "write `await context.step(...)`; un-awaited operations run concurrently under the SDK");
}

/** Code between operations runs in a fragment, where the DurableContext offers only its logger. */
export function refuseContextUse(statement: Statement, isContext: (n: Node) => boolean): void {
  for (const n of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (!isContext(n)) continue;
    const parent = n.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === n && parent.getName() === "logger") continue;
    if (insideOperationFunction(n)) continue;
    fail(n, "D2S2011", "the DurableContext is used here in a way the compiler cannot follow", "call its operations directly (`await context.step(...)`), use `context.logger`, or pass it to an async helper of this file");
  }
}

/** The compiler follows the DurableContext only into functions whose body it can inline. */
export function refuseUnseenHelper(call: CallExpression): never {
  fail(call, "D2S2004", "the DurableContext is passed to a function the compiler cannot see", "pass it only to async functions declared in the same file, which are inlined");
}

/** A state machine has a fixed shape: a helper cannot be inlined into itself. */
export function refuseRecursion(call: CallExpression): never {
  fail(call, "D2S2010", "a recursive durable helper cannot be compiled", "a state machine has a fixed shape: rewrite the recursion as a loop");
}

/** Operations with no faithful ASL form (createCallback has one shape: create-callback-shape.ts). */
export function refuseUnsupportedOperation(call: CallExpression, method: string): never {
  switch (method) {
    case "promise.any":
    case "promise.race":
      fail(call, "D2S2009", `context.${method} is not supported: its result depends on which operation ends first`, "await the operations one by one, or use context.promise.allSettled and pick a result");
    case "createCallback":
      fail(call, "D2S2015", "createCallback is supported in one shape only", CREATE_CALLBACK_SHAPE);
    default:
      fail(call, "D2S2009", `context.${method} is not supported by this version of durable2sfn`, "see the README's table of supported operations");
  }
}

/** Custom loggers and serdes are functions of the handler's process: the fragments function cannot take them over. */
export function refuseConfiguration(expression: Expression, { method }: DurableCall): void {
  if (method === "configureLogger" || method === "configureSerdes") {
    fail(expression, "D2S2009", `context.${method} is not supported: the fragments function logs and serialises as the SDK does by default`, "remove the call; custom loggers and serdes cannot be reproduced in ASL");
  }
}

/** The element operations of promise.all / allSettled become Parallel branches of one operation each. */
export function refuseCombinatorElement(element: Node, op: DurableCall | undefined, combinator: string): asserts op is DurableCall {
  if (!op || ["map", "parallel", "createCallback", "runInChildContext"].includes(op.method) || op.method.startsWith("promise.")) {
    fail(element, "D2S2004", `each element of promise.${combinator} must be a step, wait, waitForCallback, waitForCondition or invoke call`, "create the operations inline in the array");
  }
}

/** A context's name is its record's name in the trace, fixed when the machine is built. */
export function refuseComputedName(name: { node: Node } | string | null, what: string): asserts name is string | null {
  if (name !== null && typeof name !== "string") fail(name.node, "D2S2008", `${what} name must be a string literal`, "write the name as a literal");
}

// ---- parameters and bindings ----------------------------------------------------------------

export function refuseEventPattern(param: ParameterDeclaration | undefined): void {
  if (param && !Node.isIdentifier(param.getNameNode())) {
    fail(param, "D2S2006", "a destructured event parameter is not supported", "take `event` as a plain parameter and destructure it in the body");
  }
}

/** The DurableContext is followed by its name: a destructured one would lose it. */
export function refuseContextPattern(param: ParameterDeclaration): void {
  if (!Node.isIdentifier(param.getNameNode())) fail(param, "D2S2011", "the DurableContext cannot be destructured", "take it as a plain parameter");
}

/** `(ctx, item, index)` for map, `(ctx)` for parallel, each a plain name (they become ASL Variables). */
export function refuseBranchParameters(params: ParameterDeclaration[], kind: "map" | "parallel"): void {
  const [contextParam, itemParam, indexParam, arrayParam] = params;
  if (arrayParam) fail(arrayParam, "D2S2008", "the map function's array parameter is not supported", "read the items from the variable passed to map");
  if (kind === "parallel" && itemParam) fail(itemParam, "D2S2004", "a parallel branch takes only its DurableContext", "write the branch as `async (ctx) => { ... }`");
  for (const param of [contextParam, itemParam, indexParam]) {
    if (param && !Node.isIdentifier(param.getNameNode())) fail(param, "D2S2011", "a map or parallel function parameter cannot be destructured", "take it as a plain parameter and destructure it in the body");
  }
}

/** The error is an error record in an ASL Variable; its fields are read from it by name. */
export function refuseCatchPattern(nameNode: Node): void {
  if (!Node.isIdentifier(nameNode)) fail(nameNode, "D2S2006", "a destructured catch binding is not supported", "write `catch (error)` and read its fields");
}

/** Async iteration pulls items one by one from code: the items of a loop over operations are taken once, as JSON. */
export function refuseForAwait(statement: Statement): void {
  if (Node.isForOfStatement(statement) && statement.isAwaited()) fail(statement, "D2S2006", "`for await` is outside the supported syntax", "collect the items in a step first");
}
