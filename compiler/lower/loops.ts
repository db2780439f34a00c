import { Node, type Expression, type Statement } from "ts-morph";
import * as refuse from "../analyze/refusals.ts";
import { renderCode } from "../analyze/render.ts";
import type { Lowering } from "./context.ts";

/**
 * while, do, for, for-of and for-in loops whose body holds durable operations or jumps. Each
 * loop is a head block (the test), a body and an exit; `continue` goes to the head, or to the
 * update of a `for`, or to the index step of a for-of. The loop's jump scope (jumps.ts) is in
 * force exactly while its body is lowered.
 */

export function lowerLoop(lo: Lowering, statement: Statement, labels: string[]): void {
  const exit = lo.newBlock(statement);
  const head = lo.newBlock(statement);
  const body = lo.newBlock(statement);
  let continueTarget = head;
  if (Node.isForStatement(statement)) {
    const init = statement.getInitializer();
    if (init) {
      refuse.refuseDurableInside(init, "a for-loop initializer");
      lo.cur.code.push(renderCode(init, lo.locals));
      const last = lo.cur.code[lo.cur.code.length - 1];
      last.text += ";";
    }
    const incrementor = statement.getIncrementor();
    if (incrementor) {
      continueTarget = lo.newBlock(incrementor);
      const piece = renderCode(lo.checked(incrementor, "a for-loop update"), lo.locals);
      piece.text += ";";
      continueTarget.code.push(piece);
      continueTarget.term = { kind: "goto", target: head };
    }
  }
  const isDo = Node.isDoStatement(statement);
  if (isDo) continueTarget = head;
  lo.goto(isDo ? body : head);
  // head: test the condition (a `for(;;)` has none)
  const condition = Node.isForStatement(statement)
    ? statement.getCondition()
    : (statement as unknown as { getExpression(): Expression }).getExpression();
  if (condition) head.term = { kind: "branch", cond: lo.checkedValue(condition, "a loop condition"), then: body, else: exit, what: "loop" };
  else head.term = { kind: "goto", target: body };
  lo.jumps.push({ labels, breakTarget: exit, continueTarget, finallyDepth: lo.finallies.length });
  lo.startAt(body);
  lo.statement((statement as unknown as { getStatement(): Statement }).getStatement(), []);
  lo.goto(continueTarget);
  lo.jumps.pop();
  lo.startAt(exit);
}

/**
 * for-of / for-in with durable operations inside: the items are taken once, as an array (they
 * must be JSON, since they live in an ASL Variable), and walked with an index.
 */
export function lowerForEach(lo: Lowering, statement: Statement, labels: string[]): void {
  const s = statement as unknown as { getExpression(): Expression; getInitializer(): Node; getStatement(): Statement };
  const isOf = Node.isForOfStatement(statement);
  refuse.refuseForAwait(statement);
  const source = lo.checkedValue(s.getExpression(), "the iterated expression");
  const items = lo.locals.temporary("items");
  const index = lo.locals.temporary("index");
  const take = isOf ? `[...(${source.piece.text})]` : `Object.keys(${source.piece.text})`;
  const start = lo.synthetic(`const ${items.id} = ${take}; let ${index.id} = 0;`, [...source.piece.reads], [], [items, index], source.piece);
  if (isOf) start.loopStep = { step: "start", items, index, source: s.getExpression() };
  lo.cur.code.push(start);
  const exit = lo.newBlock(statement);
  const head = lo.newBlock(statement);
  const body = lo.newBlock(statement);
  const next = lo.newBlock(statement);
  next.code.push({ ...lo.synthetic(`${index.id}++;`, [index], [index]), loopStep: { step: "next", index } });
  next.term = { kind: "goto", target: head };
  lo.goto(head);
  head.term = {
    kind: "branch",
    cond: { node: s.getExpression(), piece: lo.synthetic(`${index.id} < ${items.id}.length`, [index, items]), jsonata: `$${index.id} < $count($${items.id})` },
    then: body,
    else: exit,
    what: "loop",
  };
  lo.startAt(body);
  const init = s.getInitializer();
  const current = `${items.id}[${index.id}]`;
  if (Node.isVariableDeclarationList(init)) {
    const decl = init.getDeclarations()[0];
    const name = renderCode(decl.getNameNode(), lo.locals);
    const piece = lo.synthetic(`const ${name.text} = ${current};`, [items, index], [], [...name.declares]);
    const target = Node.isIdentifier(decl.getNameNode()) ? lo.locals.resolve(decl.getNameNode()) : undefined;
    if (isOf && target) piece.loopStep = { step: "item", items, index, target };
    lo.cur.code.push(piece);
  } else {
    const target = renderCode(init, lo.locals);
    lo.cur.code.push(lo.synthetic(`${target.text} = ${current};`, [items, index, ...target.reads], [...target.writes]));
  }
  lo.jumps.push({ labels, breakTarget: exit, continueTarget: next, finallyDepth: lo.finallies.length });
  lo.statement(s.getStatement(), []);
  lo.goto(next);
  lo.jumps.pop();
  lo.startAt(exit);
}
