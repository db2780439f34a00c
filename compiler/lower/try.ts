import { Node, type Block as BlockNode } from "ts-morph";
import * as refuse from "../analyze/refusals.ts";
import type { Local } from "../analyze/locals.ts";
import type { TryHandler } from "./cfg.ts";
import type { FinallyScope, Lowering } from "./lowering-state.ts";

/**
 * try / catch / finally. Blocks inside the try get the catch (or else the finally) as their
 * handler; the catch body runs under the finally's handler; the finally body is lowered once on
 * the normal path, once on the exceptional path (ending in a rethrow of the same record), and
 * once more for each jump or return that leaves it (jumps.ts).
 */

/**
 * One error record per catch clause (and per finally), however often its try is lowered: a
 * finally body is lowered once per path, and the catch binding's local must name one record.
 */
function recordFor(lo: Lowering, node: Node, hint: string): Local {
  let record = lo.records.get(node);
  if (!record) {
    record = lo.locals.temporary(hint);
    lo.records.set(node, record);
  }
  return record;
}

export function lowerTry(lo: Lowering, statement: Node & { getTryBlock(): BlockNode; getCatchClause(): any; getFinallyBlock(): BlockNode | undefined }): void {
  const id = ++lo.tryCount;
  const outer = lo.tryHandler;
  const catchClause = statement.getCatchClause();
  const finallyBlock = statement.getFinallyBlock();
  const finallyHandler: TryHandler | undefined = finallyBlock
    ? { entry: lo.newBlock(finallyBlock, { handler: outer }), record: recordFor(lo, finallyBlock, `error${id}`) }
    : undefined;
  const catchHandler: TryHandler | undefined = catchClause
    ? { entry: lo.newBlock(catchClause, { handler: finallyHandler ?? outer }), record: recordFor(lo, catchClause, `caught${id}`) }
    : undefined;
  const exit = lo.newBlock(statement, { handler: outer });
  const scope: FinallyScope | undefined = finallyBlock ? { statements: finallyBlock.getStatements(), outer } : undefined;
  if (scope) lo.finallies.push(scope);

  lo.tryHandler = catchHandler ?? finallyHandler;
  const tryStart = lo.newBlock(statement.getTryBlock());
  lo.goto(tryStart);
  lo.startAt(tryStart);
  lo.statements(statement.getTryBlock().getStatements());
  const join = lo.newBlock(statement, { handler: outer });
  lo.goto(join);

  if (catchClause && catchHandler) {
    lo.tryHandler = finallyHandler ?? outer;
    lo.startAt(catchHandler.entry);
    const binding = catchClause.getVariableDeclaration();
    if (binding) {
      const nameNode = binding.getNameNode();
      refuse.refuseCatchPattern(nameNode);
      const local = lo.locals.resolve(nameNode)!;
      local.errorRecord = catchHandler.record;
    }
    lo.statements(catchClause.getBlock().getStatements());
    lo.goto(join);
  }
  if (scope) lo.finallies.pop();
  lo.tryHandler = outer;
  lo.startAt(join);
  if (finallyBlock) lo.statements(finallyBlock.getStatements());
  lo.goto(exit);

  if (finallyBlock && finallyHandler) {
    // The exceptional path: run the finally body, then throw the same error on.
    lo.startAt(finallyHandler.entry);
    lo.statements(finallyBlock.getStatements());
    lo.seal({ kind: "rethrow", record: finallyHandler.record });
  }
  lo.startAt(exit);
}
