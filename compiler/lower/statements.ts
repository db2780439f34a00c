import { Node, SyntaxKind, type Expression, type Statement } from "ts-morph";
import { containsDurableCall, insideOperationFunction, isFunctionLike } from "../parse/durable-calls.ts";
import { createCallbackOf } from "../analyze/create-callback-shape.ts";
import * as refuse from "../analyze/refusals.ts";
import { renderCode } from "../analyze/render.ts";
import { lowerExpressionStatement, lowerVariableStatement, operationOf } from "./expressions.ts";
import { lowerJump, lowerReturn } from "./jumps.ts";
import { lowerForEach, lowerLoop } from "./loops.ts";
import type { Lowering } from "./context.ts";
import { awaitsCallback, lowerCreateCallback, runsInCallbackTask } from "./callbacks.ts";
import { consumesPending, refuseBetween } from "./pending.ts";
import { lowerSwitch } from "./switch.ts";
import { lowerTry } from "./try.ts";
import { settleBeforeConsumer } from "./started-settle.ts";

/**
 * The statement dispatcher, and the statements that need no file of their own (blocks, labels,
 * if). This is the regenerator model: a statement with no durable operation, helper call or
 * jump out of itself stays as written, appended to the current block as one code piece; only
 * the others are exploded into blocks, each by the lowering of its kind. Every lowering ends
 * with `cur` open at the point after the statement.
 */

export function lowerStatements(lo: Lowering, statements: Statement[]): void {
  for (let i = 0; i < statements.length; i++) {
    const operation = (e: Expression) => operationOf(lo, e);
    if (runsInCallbackTask(statements[i]!)) continue;
    if (createCallbackOf(statements[i]!, operation)) lowerCreateCallback(lo, statements, i, operation, (s) => needsExplode(lo, s));
    else lowerStatement(lo, statements[i]!, []);
  }
}

export function lowerStatement(lo: Lowering, statement: Statement, labels: string[]): void {
  refuse.refuseUnsupportedSyntax(statement);
  if (refuseBetween(lo, statement, (s) => needsExplode(lo, s)) === "settle") settleBeforeConsumer(lo, statement);
  if (!needsExplode(lo, statement)) {
    refuse.refuseContextUse(statement, (n) => lo.isContextReference(n));
    lo.cur.code.push(renderCode(statement, lo.locals));
    return;
  }
  if (Node.isBlock(statement)) return lowerStatements(lo, statement.getStatements());
  if (Node.isLabeledStatement(statement)) return lowerLabeled(lo, statement, labels);
  if (Node.isIfStatement(statement)) return lowerIf(lo, statement);
  if (Node.isWhileStatement(statement) || Node.isDoStatement(statement) || Node.isForStatement(statement)) {
    return lowerLoop(lo, statement, labels);
  }
  if (Node.isForOfStatement(statement) || Node.isForInStatement(statement)) return lowerForEach(lo, statement, labels);
  if (Node.isSwitchStatement(statement)) return lowerSwitch(lo, statement, labels);
  if (Node.isTryStatement(statement)) return lowerTry(lo, statement);
  if (Node.isReturnStatement(statement)) return lowerReturn(lo, statement.getExpression(), statement);
  if (Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) return lowerJump(lo, statement);
  if (Node.isVariableStatement(statement)) return lowerVariableStatement(lo, statement);
  if (Node.isExpressionStatement(statement)) return lowerExpressionStatement(lo, statement.getExpression(), statement);
  refuse.refuseOperationInStatement(statement);
}

/** Statements that contain a durable operation, a helper call, or a jump out of themselves, are exploded into blocks. */
function needsExplode(lo: Lowering, statement: Statement): boolean {
  if (containsDurableCall(statement) || awaitsCallback(lo, statement) || consumesPending(lo, statement)) return true;
  const awaitsHelper = statement
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .some((c) => c.getArguments().some((a) => lo.isContextReference(a)) && !insideOperationFunction(c, statement));
  if (awaitsHelper) return true;
  let escapes = false;
  const visit = (n: Node, loopDepth: number, switchDepth: number, labels: Set<string>) => {
    if (escapes || isFunctionLike(n)) return;
    if (Node.isReturnStatement(n)) escapes = true;
    else if (Node.isBreakStatement(n) || Node.isContinueStatement(n)) {
      const label = n.getLabel()?.getText();
      if (label) escapes ||= !labels.has(label);
      else if (Node.isBreakStatement(n)) escapes ||= loopDepth + switchDepth === 0;
      else escapes ||= loopDepth === 0;
    }
    const isLoop = Node.isIterationStatement(n);
    const isSwitch = Node.isSwitchStatement(n);
    const nextLabels = Node.isLabeledStatement(n) ? new Set([...labels, n.getLabel().getText()]) : labels;
    n.forEachChild((c) => visit(c, loopDepth + (isLoop ? 1 : 0), switchDepth + (isSwitch ? 1 : 0), nextLabels));
  };
  visit(statement, 0, 0, new Set());
  return escapes;
}

function lowerLabeled(lo: Lowering, statement: Node & { getLabel(): Node; getStatement(): Statement }, labels: string[]): void {
  const inner = statement.getStatement();
  const all = [...labels, statement.getLabel().getText()];
  if (Node.isIterationStatement(inner) || Node.isSwitchStatement(inner)) return lowerStatement(lo, inner, all);
  const exit = lo.newBlock(statement);
  lo.jumps.push({ labels: all, breakTarget: exit, finallyDepth: lo.finallies.length });
  lowerStatement(lo, inner, []);
  lo.jumps.pop();
  lo.goto(exit);
  lo.startAt(exit);
}

function lowerIf(lo: Lowering, statement: Node & { getExpression(): Expression; getThenStatement(): Statement; getElseStatement(): Statement | undefined }): void {
  const cond = lo.checkedValue(statement.getExpression(), "an expression");
  const thenBlock = lo.newBlock(statement.getThenStatement());
  const elseStatement = statement.getElseStatement();
  const exit = lo.newBlock(statement);
  const elseBlock = elseStatement ? lo.newBlock(elseStatement) : exit;
  lo.cur.term = { kind: "branch", cond, then: thenBlock, else: elseBlock, what: "if" };
  lo.startAt(thenBlock);
  lowerStatement(lo, statement.getThenStatement(), []);
  lo.goto(exit);
  if (elseStatement) {
    lo.startAt(elseBlock);
    lowerStatement(lo, elseStatement, []);
    lo.goto(exit);
  }
  lo.startAt(exit);
}
