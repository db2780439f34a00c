import { checkLoggerConfiguration } from "../analyze/logger-config.ts";
import { awaitedCallback } from "./callbacks.ts";
import { Node, SyntaxKind, type CallExpression, type Expression, type Statement } from "ts-morph";
import { asDurableCall, containsDurableCall, type DurableCall } from "../parse/durable-calls.ts";
import { withoutTypeWrappers } from "../parse/const-declarations.ts";
import { moduleFunctionNamed } from "../parse/module-functions.ts";
import { tableCall } from "../parse/function-tables.ts";
import type { Local } from "../analyze/locals.ts";
import * as refuse from "../analyze/refusals.ts";
import { isAssignmentOperator, renderCode } from "../analyze/render.ts";
import type { Awaited, HelperFunction, Lowering } from "./context.ts";
import { awaitedPending, nativeCombinatorOfOperations, startPending } from "./pending.ts";

/**
 * Expressions that hold durable calls: `await` of an operation or of an inlined helper, in a
 * declaration, an assignment or an expression statement, and the conditional operators
 * (`?:`, `&&`, `||`, `??`) whose arms hold one, exploded into branches in JavaScript's order of
 * evaluation. A durable call anywhere else in an expression is refused (D2S2007).
 */

const SHORT_CIRCUIT = new Set([SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken]);

/** `await context.op(...)` (or `context.op(...)` returned from the async handler). */
export function operationOf(lo: Lowering, expression: Expression): DurableCall | undefined {
  const awaited = awaitedCall(lo, expression);
  return awaited?.kind === "operation" ? awaited.call : undefined;
}

/** A durable operation, or a call of an async helper of this module that takes the DurableContext. */
export function awaitedCall(lo: Lowering, expression: Expression): Awaited | undefined {
  const callback = awaitedCallback(lo, expression);
  if (callback) return { kind: "callback", callback };
  // `await op(...) as T`, `(await op(...)) satisfies T`, `x!`: type-only wrappers change no value.
  let e: Node = withoutTypeWrappers(expression);
  if (Node.isAwaitExpression(e)) {
    e = withoutTypeWrappers(e.getExpression());
    // `await a`, where `a` holds an operation started before (pending.ts).
    const started = awaitedPending(lo, e);
    if (started) return { kind: "operation", call: started };
  }
  // `return a` of a started operation: the handler's promise resolves with it.
  const returned = Node.isReturnStatement(e.getParent()) ? awaitedPending(lo, e) : undefined;
  if (returned) return { kind: "operation", call: returned };
  const operation = asDurableCall(e) ?? nativeCombinatorOfOperations(lo, e);
  if (operation) return { kind: "operation", call: operation };
  if (Node.isCallExpression(e) && e.getArguments().some((a) => lo.isContextReference(a))) {
    const helper = helperOf(e);
    if (helper) return { kind: "helper", call: e, fn: helper };
    // A strategy or tool table: `tools.search(context, q)`, `tools[name](context, q)`.
    const table = tableCall(e.getExpression());
    if (table?.kind === "known") return { kind: "helper", call: e, fn: table.fn };
    if (table?.kind === "runtime") return { kind: "table", call: e, table };
    refuse.refuseUnseenHelper(e, table?.reason);
  }
  return undefined;
}

/** The declaration of a called function, when it is an async function of this module. */
function helperOf(call: CallExpression): HelperFunction | undefined {
  return asyncFunctionNamed(call.getExpression());
}

/** The async function of this module that `callee` names (a declaration, or a const holding a function). */
export function asyncFunctionNamed(callee: Node): HelperFunction | undefined {
  const fn = moduleFunctionNamed(callee);
  return fn?.isAsync() ? fn : undefined;
}

/** `c ? await a() : b`, `x && await a()`, `x ?? await a()`: a durable operation in one arm. */
export function isConditionalWithOperations(lo: Lowering, expression: Expression): boolean {
  let e: Node = expression;
  while (Node.isParenthesizedExpression(e)) e = e.getExpression();
  if (Node.isConditionalExpression(e)) return containsDurableCall(e.getWhenTrue()) || containsDurableCall(e.getWhenFalse()) || awaitedCall(lo, e.getWhenTrue() as Expression) !== undefined || awaitedCall(lo, e.getWhenFalse() as Expression) !== undefined;
  if (Node.isBinaryExpression(e) && SHORT_CIRCUIT.has(e.getOperatorToken().getKind())) {
    return containsDurableCall(e.getRight()) || awaitedCall(lo, e.getRight()) !== undefined;
  }
  return false;
}

/**
 * Evaluates an expression into `target`, exploding the conditional operators whose arms hold
 * durable operations into branches, in JavaScript's order of evaluation.
 */
export function lowerValueInto(lo: Lowering, target: Local, expression: Expression, at: Node): void {
  let e: Expression = expression;
  while (Node.isParenthesizedExpression(e)) e = e.getExpression();
  const awaited = awaitedCall(lo, e);
  if (awaited) return lo.emitAwaited(awaited, target, at);
  if (!isConditionalWithOperations(lo, e)) {
    const value = lo.checkedValue(e, "an expression");
    lo.cur.code.push(lo.synthetic(`${target.id} = ${value.piece.text};`, [...value.piece.reads], [target], [], value.piece));
    return;
  }
  const exit = lo.newBlock(at);
  const thenBlock = lo.newBlock(at);
  if (Node.isConditionalExpression(e)) {
    const elseBlock = lo.newBlock(at);
    lo.cur.term = { kind: "branch", cond: lo.checkedValue(e.getCondition(), "a condition"), then: thenBlock, else: elseBlock, what: "condition" };
    lo.startAt(thenBlock);
    lowerValueInto(lo, target, e.getWhenTrue(), at);
    lo.goto(exit);
    lo.startAt(elseBlock);
    lowerValueInto(lo, target, e.getWhenFalse(), at);
    lo.goto(exit);
    lo.startAt(exit);
    return;
  }
  const binary = e as Expression & { getLeft(): Expression; getRight(): Expression; getOperatorToken(): Node };
  lowerValueInto(lo, target, binary.getLeft(), at);
  const op = binary.getOperatorToken().getKind();
  const test =
    op === SyntaxKind.AmpersandAmpersandToken ? target.id : op === SyntaxKind.BarBarToken ? `!${target.id}` : `${target.id} === null || ${target.id} === undefined`;
  lo.cur.term = { kind: "branch", cond: { node: binary.getLeft(), piece: lo.synthetic(test, [target]), opaque: true }, then: thenBlock, else: exit, what: "condition" };
  lo.startAt(thenBlock);
  lowerValueInto(lo, target, binary.getRight(), at);
  lo.goto(exit);
  lo.startAt(exit);
}

export function lowerVariableStatement(lo: Lowering, statement: Node & { getDeclarationList(): Node & { getDeclarations(): any[] }; getDeclarationKind(): string }): void {
  const kind = statement.getDeclarationKind();
  for (const decl of statement.getDeclarationList().getDeclarations()) {
    const init: Expression | undefined = decl.getInitializer();
    if (startPending(lo, decl, kind)) continue;
    const op = init ? awaitedCall(lo, init) : undefined;
    const nameNode0: Node = decl.getNameNode();
    if (!op && init && isConditionalWithOperations(lo, init)) {
      const target = Node.isIdentifier(nameNode0) ? lo.locals.resolve(nameNode0)! : lo.locals.temporary("result");
      lo.cur.code.push(lo.synthetic(`let ${target.id};`, [], [], [target]));
      lowerValueInto(lo, target, init, decl);
      if (!Node.isIdentifier(nameNode0)) {
        const pattern = renderCode(nameNode0, lo.locals);
        lo.cur.code.push(lo.synthetic(`${kind} ${pattern.text} = ${target.id};`, [target], [], [...pattern.declares]));
      }
      continue;
    }
    if (!op) {
      refuse.refuseDurableInside(decl, "a variable initializer");
      lo.cur.code.push({ ...renderCode(decl, lo.locals), text: `${kind} ${renderCode(decl, lo.locals).text};` });
      continue;
    }
    const nameNode: Node = decl.getNameNode();
    if (Node.isIdentifier(nameNode)) {
      lo.emitAwaited(op, lo.locals.resolve(nameNode)!, decl, kind === "const" ? "const" : "let");
    } else {
      const temp = lo.locals.temporary("result");
      lo.emitAwaited(op, temp, decl, "const");
      const pattern = renderCode(nameNode, lo.locals);
      lo.cur.code.push(lo.synthetic(`${kind} ${pattern.text} = ${temp.id};`, [temp], [], [...pattern.declares]));
    }
  }
}

export function lowerExpressionStatement(lo: Lowering, expression: Expression, statement: Statement): void {
  const e: Node = withoutTypeWrappers(expression);
  if (Node.isVoidExpression(e) && asDurableCall(e.getExpression())) refuse.refuseNeverAwaited(expression);
  const direct = awaitedCall(lo, expression);
  if (direct?.kind === "operation") refuse.refuseConfiguration(expression, direct.call);
  if (direct?.kind === "operation" && direct.call.method === "configureLogger") {
    // Logging set-up, not an operation: it runs as code, and the dispatcher applies it to every fragment (logger-config.ts).
    checkLoggerConfiguration(direct.call.call, statement, lo.parent || lo.inlining.length > 0 ? undefined : lo.fn, lo.locals);
    lo.cur.code.push({ ...renderCode(statement, lo.locals) });
    return;
  }
  if (direct) {
    if (!Node.isAwaitExpression(e)) refuse.refuseUnawaited(expression);
    return lo.emitAwaited(direct, undefined, statement);
  }
  if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken && isConditionalWithOperations(lo, e.getRight())) {
    const left = e.getLeft();
    const local = Node.isIdentifier(left) ? lo.locals.resolve(left) : undefined;
    if (local) return lowerValueInto(lo, local, e.getRight(), statement);
  }
  if (Node.isBinaryExpression(e) && isAssignmentOperator(e.getOperatorToken().getKind())) {
    const op = awaitedCall(lo, e.getRight());
    if (op) {
      const left = e.getLeft();
      const operator = e.getOperatorToken().getText();
      refuse.refuseDurableInside(left, "an assignment target");
      const local = Node.isIdentifier(left) ? lo.locals.resolve(left) : undefined;
      if (local && operator === "=") return lo.emitAwaited(op, local, statement);
      // `total += await ...`, `obj.x = await ...`: the result lands in a temporary, then the assignment runs as written.
      const temp = lo.locals.temporary("result");
      lo.emitAwaited(op, temp, statement, "const");
      const target = renderCode(left, lo.locals);
      const reads = operator === "=" ? target.reads : new Set([...target.reads, ...target.writes]);
      lo.cur.code.push(lo.synthetic(`${target.text} ${operator} ${temp.id};`, [temp, ...reads], [...target.writes]));
      return;
    }
  }
  refuse.refuseOperationInExpression(expression);
}
