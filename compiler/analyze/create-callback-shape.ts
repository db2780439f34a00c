import { Node, type CallExpression, type Expression, type Identifier, type Statement, type VariableStatement } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import type { DurableCall } from "../parse/durable-calls.ts";
import type { Local, Locals } from "./locals.ts";

export interface CreateCallbackShape {
  /** The step that hands the id on. */
  step: DurableCall;
  /** The callback id's binding. */
  id: Identifier;
  /** What the awaited promise is assigned to, if anything. */
  target?: Local;
  /** The statement that awaits the promise. */
  awaitStatement: Statement;
}

/**
 * The one shape of createCallback that maps faithfully to waitForTaskToken: the id goes to
 * exactly one step right after the call, and the promise is awaited right after that step.
 * Under the SDK the callback exists from createCallback on; here the Task that waits for the
 * token runs the step first, so nothing else may happen in between.
 */
export function createCallbackShape(
  [declStatement, stepStatement, awaitStatement]: (Statement | undefined)[],
  operationOf: (e: Expression) => DurableCall | undefined,
  locals: Locals,
): CreateCallbackShape {
  const decl = (declStatement as VariableStatement).getDeclarations()[0]!;
  const pattern = decl.getNameNode();
  const elements = Node.isArrayBindingPattern(pattern) ? pattern.getElements() : [];
  const [promiseName, idName] = elements.map((e) => (Node.isBindingElement(e) && Node.isIdentifier(e.getNameNode()) ? e.getNameNode() : undefined));
  if (elements.length !== 2 || !promiseName || !idName) return fail(pattern, messages.D2S2015.notDestructured());
  // The step that hands the id on.
  const stepExpr = stepStatement && Node.isExpressionStatement(stepStatement) ? stepStatement.getExpression() : undefined;
  const step = stepExpr ? operationOf(stepExpr) : undefined;
  if (!stepExpr || !Node.isAwaitExpression(stepExpr) || step?.method !== "step") {
    return fail(stepStatement ?? declStatement!, messages.D2S2015.noStepAfter());
  }
  // The await of the promise.
  const awaitOf = (e: Node | undefined) => {
    while (e && Node.isParenthesizedExpression(e)) e = e.getExpression();
    return e && Node.isAwaitExpression(e) && e.getExpression().getText() === promiseName.getText() ? e : undefined;
  };
  let target: Local | undefined;
  if (awaitStatement && Node.isVariableStatement(awaitStatement) && awaitStatement.getDeclarations().length === 1) {
    const d = awaitStatement.getDeclarations()[0]!;
    if (!awaitOf(d.getInitializer()) || !Node.isIdentifier(d.getNameNode())) return fail(awaitStatement, messages.D2S2015.promiseNotAwaitedAfterStep());
    target = locals.resolve(d.getNameNode())!;
  } else if (awaitStatement && Node.isExpressionStatement(awaitStatement) && awaitOf(awaitStatement.getExpression())) {
    target = undefined;
  } else {
    return fail(awaitStatement ?? stepStatement!, messages.D2S2015.promiseNotAwaitedAfterStep());
  }
  // The promise is used only there, the id only inside the step.
  const inside = (n: Node, container: Node) => n.getAncestors().includes(container);
  for (const ref of (promiseName as Identifier).findReferencesAsNodes()) {
    if (ref !== promiseName && !inside(ref, awaitStatement)) return fail(ref, messages.D2S2015.promiseUsedElsewhere());
  }
  for (const ref of (idName as Identifier).findReferencesAsNodes()) {
    if (ref !== idName && !inside(ref, stepStatement!)) return fail(ref, messages.D2S2015.idUsedElsewhere());
  }
  return { step, id: idName as Identifier, target, awaitStatement };
}

/** `const [promise, id] = await context.createCallback(...)`: the call, when the statement is that. */
export function createCallbackOf(statement: Statement, operationOf: (e: Expression) => DurableCall | undefined): CallExpression | undefined {
  if (!Node.isVariableStatement(statement)) return undefined;
  const [decl, ...more] = statement.getDeclarations();
  const init = decl?.getInitializer();
  const awaited = init ? operationOf(init) : undefined;
  if (more.length > 0 || awaited?.method !== "createCallback") return undefined;
  return awaited.call;
}
