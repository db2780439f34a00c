import { Node, type Expression, type Statement } from "ts-morph";
import type { Local } from "../analyze/locals.ts";
import { refuseReturnedAlias } from "../analyze/returned-alias.ts";
import { fail, messages } from "../diagnostics.ts";
import type { Block, TryHandler, ValueExpr } from "./cfg.ts";
import { awaitedCall, isConditionalWithOperations, lowerValueInto } from "./expressions.ts";
import type { Lowering, ReturnScope } from "./context.ts";

/**
 * The leap manager: where break, continue and return go. Loops, switches and labels push a jump
 * scope while their body is lowered; try pushes a finally scope. A jump or return first runs the
 * finally bodies it leaves, innermost first, each under the handler around its own try, then
 * ends the block with a goto (or return) and opens a fresh, unreachable block.
 */

export function lowerJump(lo: Lowering, statement: Node & { getLabel(): Node | undefined }): void {
  const label = statement.getLabel()?.getText();
  const isBreak = Node.isBreakStatement(statement);
  const scope = [...lo.jumps].reverse().find((j) =>
    label ? j.labels.includes(label) && (isBreak || j.continueTarget) : isBreak ? true : j.continueTarget !== undefined,
  );
  if (!scope) fail(statement, messages.D2S2006.jumpTargetNotFound());
  const target = isBreak ? scope.breakTarget : scope.continueTarget!;
  runFinalliesDownTo(lo, scope.finallyDepth);
  lo.seal({ kind: "goto", target }, statement);
}

/** Runs the finally bodies a jump leaves, innermost first, each under the handler around its try. */
function runFinalliesDownTo(lo: Lowering, depth: number): void {
  const saved = { finallies: lo.finallies, handler: lo.tryHandler };
  for (let i = lo.finallies.length - 1; i >= depth; i--) {
    const scope = saved.finallies[i];
    lo.finallies = saved.finallies.slice(0, i);
    lo.tryHandler = scope.outer;
    const block = lo.newBlock(scope.statements[0] ?? lo.cur.origin);
    lo.goto(block);
    lo.startAt(block);
    lo.statements(scope.statements);
  }
  lo.finallies = saved.finallies;
  lo.tryHandler = saved.handler;
}

export function lowerReturn(lo: Lowering, expression: Expression | undefined, at: Node): void {
  const scope = lo.returns[lo.returns.length - 1];
  if (scope) return lowerHelperReturn(lo, expression, at, scope);
  if (expression) {
    const awaited = awaitedCall(lo, expression);
    if (awaited) {
      const result = lo.locals.temporary("result");
      lo.emitAwaited(awaited, result, at, "const");
      // Opaque: the value is the operation's result in the temporary (not the call read again), or,
      // for `return a` of a started operation, the promise it names.
      return finishReturn(lo, { node: expression, piece: lo.synthetic(result.id, [result]), opaque: true }, at);
    }
  }
  if (expression && isConditionalWithOperations(lo, expression)) {
    const result = lo.locals.temporary("result");
    lo.cur.code.push(lo.synthetic(`let ${result.id};`, [], [], [result]));
    lowerValueInto(lo, result, expression, at);
    return finishReturn(lo, { node: expression, piece: lo.synthetic(result.id, [result]), opaque: true }, at);
  }
  const value = expression ? lo.checkedValue(expression, "a return value") : undefined;
  if (value && lo.finallies.length > 0) {
    refuseReturnedAlias(value, lo.finallies.map((f) => f.statements), lo.locals);
    // The value is computed before the finally bodies run, as in JavaScript.
    const result = lo.locals.temporary("result");
    lo.cur.code.push(lo.synthetic(`const ${result.id} = ${value.piece.text};`, [...value.piece.reads], [], [result], value.piece));
    // opaque: the value is the temporary now, never the expression read again after the finally.
    return finishReturn(lo, { node: expression!, piece: lo.synthetic(result.id, [result]), opaque: true }, at);
  }
  finishReturn(lo, value, at);
}

function finishReturn(lo: Lowering, value: ValueExpr | undefined, at: Node): void {
  runFinalliesDownTo(lo, 0);
  lo.seal({ kind: "return", value }, at);
}

/** `return` inside an inlined helper: its value lands in the call's result, then control goes after the call. */
function lowerHelperReturn(lo: Lowering, expression: Expression | undefined, at: Node, scope: ReturnScope): void {
  const awaited = expression ? awaitedCall(lo, expression) : undefined;
  if (awaited) lo.emitAwaited(awaited, scope.result, at);
  else if (expression) {
    const value = lo.checkedValue(expression, "a return value");
    // An async function's `return promise` resolves it: `return Promise.resolve(x)` gives x, a rejected one throws.
    const resolved = `await (${value.piece.text})`;
    const text = scope.throughJson ? `$d.json(${resolved})` : resolved;
    lo.cur.code.push(lo.synthetic(`${scope.result.id} = ${text};`, [...value.piece.reads], [scope.result], [], value.piece));
  } else lo.cur.code.push(lo.synthetic(`${scope.result.id} = undefined;`, [], [scope.result]));
  runFinalliesDownTo(lo, scope.finallyDepth);
  lo.seal({ kind: "goto", target: scope.exit }, at);
}
