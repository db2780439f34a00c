import { Node, type Expression, type Statement } from "ts-morph";
import { createCallbackShape } from "../analyze/create-callback-shape.ts";
import type { Local } from "../analyze/locals.ts";
import * as refuse from "../analyze/refusals.ts";
import { renderCode, type CodePiece } from "../analyze/render.ts";
import type { DurableCall } from "../parse/durable-calls.ts";
import type { Lowering } from "./context.ts";
import type { PendingCallback } from "./pending-types.ts";

/**
 * createCallback lowers in two places (docs/internals.md, "createCallback"): its declaration
 * records a pending callback for its promise (and sets aside the statements that must run in
 * its Task); the `await` of the promise, wherever the ordinary lowering meets it, emits the Task.
 */
export type { PendingCallback } from "./pending-types.ts";

const pending = new WeakMap<Local, PendingCallback>();
/** Statements that run inside a callback's Task: the statement lowering skips them. */
const inTask = new WeakSet<Statement>();

/** `const [promise, id] = await context.createCallback(...)` at `statements[at]`. */
export function lowerCreateCallback(lo: Lowering, statements: Statement[], at: number, operationOf: (e: Expression) => DurableCall | undefined, durable: (s: Statement) => boolean): void {
  const shape = createCallbackShape(statements, at, operationOf, durable, lo.locals);
  const step = shape.step;
  const code = step ? shape.handOn.slice(0, -1) : shape.handOn;
  for (const s of code) {
    refuse.refuseUnsupportedSyntax(s);
    refuse.refuseContextUse(s, (n) => lo.isContextReference(n));
  }
  for (const s of shape.handOn) inTask.add(s);
  const id = shape.id ? lo.locals.resolve(shape.id) : undefined;
  const cb: PendingCallback = {
    call: operationOf(shape.call)!,
    id: shape.relay ? undefined : id,
    relay: shape.relay ? id : undefined,
    handOn: code.map((s) => renderCode(s, lo.locals)),
    step,
  };
  pending.set(shape.promise, cb);
  if (shape.deferred) {
    // The callback exists from here on (its record in the trace, its timeouts' start).
    cb.created = lo.locals.temporary("created");
    // Through the relay, the marker also makes the id (its target), which later code reads as any local.
    lo.emitAwaited({ kind: "callback", callback: cb, stage: "create" }, cb.relay, statements[at]!);
  }
}

export function runsInCallbackTask(statement: Statement): boolean {
  return inTask.has(statement);
}

/** `await promise` of a pending callback: what it waits for. */
export function awaitedCallback(lo: Lowering, expression: Node): PendingCallback | undefined {
  let e = expression;
  while (Node.isParenthesizedExpression(e)) e = e.getExpression();
  if (!Node.isAwaitExpression(e)) return undefined;
  let operand: Node = e.getExpression();
  while (Node.isParenthesizedExpression(operand)) operand = operand.getExpression();
  if (!Node.isIdentifier(operand)) return undefined;
  const local = lo.locals.resolve(operand);
  return local ? pending.get(local) : undefined;
}

/** The pending callback whose promise `element` (of a combinator's array) names. */
export function combinedCallback(lo: Lowering, element: Node): PendingCallback | undefined {
  let e = element;
  while (Node.isParenthesizedExpression(e)) e = e.getExpression();
  const local = Node.isIdentifier(e) ? lo.locals.resolve(e) : undefined;
  return local ? pending.get(local) : undefined;
}

/** Does the statement await a pending callback anywhere (outside functions it declares), alone or in a combinator? */
export function awaitsCallback(lo: Lowering, statement: Statement): boolean {
  return statement.getDescendants().some((n) => (Node.isAwaitExpression(n) && awaitedCallback(lo, n) !== undefined) || (Node.isArrayLiteralExpression(n) && n.getElements().some((e) => combinedCallback(lo, e) !== undefined)));
}

