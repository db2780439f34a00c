import { Node, type ArrowFunction, type FunctionExpression, type SourceFile, type Statement, type VariableStatement } from "ts-morph";
import { isSdkFunction } from "./durable-calls.ts";

export interface HandlerDecl {
  /** The exported name, e.g. `handler`; also the output folder name. */
  name: string;
  fn: ArrowFunction | FunctionExpression;
  /** The statement that declares it; left out of the fragments bundle. */
  statement: VariableStatement;
  eventParam?: string;
  contextParam?: string;
}

/** Finds `export const <name> = withDurableExecution(async (event, context) => { ... })`. */
export function findHandlers(sourceFile: SourceFile): HandlerDecl[] {
  const handlers: HandlerDecl[] = [];
  for (const statement of sourceFile.getStatements()) {
    if (!Node.isVariableStatement(statement) || !statement.isExported()) continue;
    for (const decl of statement.getDeclarations()) {
      const init = decl.getInitializer();
      if (!init || !Node.isCallExpression(init) || !isSdkFunction(init.getExpression(), "withDurableExecution")) continue;
      const fn = init.getArguments()[0];
      if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) continue;
      const [eventParam, contextParam] = fn.getParameters().map((p) => p.getName());
      handlers.push({ name: decl.getName(), fn, statement, eventParam, contextParam });
    }
  }
  return handlers;
}

export function handlerBodyStatements(handler: HandlerDecl): Statement[] {
  const body = handler.fn.getBody();
  return Node.isBlock(body) ? body.getStatements() : [];
}
