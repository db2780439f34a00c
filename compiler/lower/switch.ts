import { Node, type Expression, type Statement } from "ts-morph";
import type { Block, ValueExpr } from "./cfg.ts";
import type { Lowering } from "./lowering-state.ts";

/**
 * switch whose clauses hold durable operations or jumps: one switch terminator over the case
 * values, one block per clause, each falling through to the next as in JavaScript; `break`
 * goes to the exit block.
 */

export function lowerSwitch(lo: Lowering, statement: Node & { getExpression(): Expression; getClauses(): Node[] }, labels: string[]): void {
  const discriminant = lo.checkedValue(statement.getExpression(), "a switch discriminant");
  const exit = lo.newBlock(statement);
  const clauses = statement.getClauses();
  const blocks = clauses.map((c) => lo.newBlock(c));
  const cases: ValueExpr[] = [];
  const targets: Block[] = [];
  let otherwise = exit;
  clauses.forEach((clause, i) => {
    if (Node.isCaseClause(clause)) {
      cases.push(lo.checkedValue(clause.getExpression(), "a case label"));
      targets.push(blocks[i]);
    } else otherwise = blocks[i];
  });
  lo.cur.term = { kind: "switch", discriminant, cases, targets, otherwise };
  lo.jumps.push({ labels, breakTarget: exit, finallyDepth: lo.finallies.length });
  clauses.forEach((clause, i) => {
    lo.startAt(blocks[i]);
    lo.statements((clause as Node & { getStatements(): Statement[] }).getStatements());
    lo.goto(blocks[i + 1] ?? exit); // fall through to the next clause, as JavaScript does
  });
  lo.jumps.pop();
  lo.startAt(exit);
}
