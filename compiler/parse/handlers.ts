import { Node, SyntaxKind, type ArrowFunction, type CallExpression, type Expression, type FunctionDeclaration, type FunctionExpression, type SourceFile, type Statement } from "ts-morph";
import { isSdkFunction } from "./durable-calls.ts";

export type HandlerFunction = ArrowFunction | FunctionExpression | FunctionDeclaration;

export interface HandlerDecl {
  /** The exported name, e.g. `handler` (`default` for `export default`); also the output folder name. */
  name: string;
  fn: HandlerFunction;
  /** The statement holding the `withDurableExecution(...)` call; diagnostics about the handler point at it. */
  statement: Statement;
  /** What the fragments bundle leaves out: the call's statement and every export of the handler (module-text.ts). */
  removals: Removal[];
  eventParam?: string;
  contextParam?: string;
}

/** A statement to drop, or one specifier of an `export { ... }` list. */
export type Removal = { kind: "statement"; node: Statement } | { kind: "specifier"; node: Node; list: Statement };

/** One `withDurableExecution(...)` call of the module, and where it sits. */
interface DurableValue {
  call: CallExpression;
  statement: Statement;
}

/**
 * Finds the module's durable handlers, declared in any of the ways people write them:
 * `export const h = withDurableExecution(fn)`; `const h = ...` exported later (`export { h }`,
 * `export { h as handler }`, `export default h`); `export default withDurableExecution(fn)`;
 * CommonJS `exports.h = ...`, `module.exports.h = ...`, `module.exports = { h }`. `fn` is written
 * inline or names a function declaration or a const function of the module. The same value
 * exported under two names is two handlers. An export whose function cannot be found that way (one
 * imported from another module, a call's result) goes to `unfollowed`.
 */
export function findHandlers(sourceFile: SourceFile, unfollowed: { name: string; call: CallExpression }[] = []): HandlerDecl[] {
  const bindings = durableBindings(sourceFile);
  const exports: { name: string; value: DurableValue; removal: Removal }[] = [];
  const valueOf = (expr: Expression | undefined, statement: Statement): DurableValue | undefined => {
    const e = expr && unwrap(expr);
    if (!e) return undefined;
    if (isDurableCall(e)) return { call: e, statement };
    return Node.isIdentifier(e) ? bindings.get(e.getText()) : undefined;
  };
  for (const statement of sourceFile.getStatements()) {
    const drop: Removal = { kind: "statement", node: statement };
    if (Node.isVariableStatement(statement) && statement.isExported()) {
      for (const decl of statement.getDeclarations()) {
        const value = bindings.get(decl.getName());
        if (value?.statement === statement) exports.push({ name: decl.getName(), value, removal: drop });
      }
    } else if (Node.isExportAssignment(statement) && !statement.isExportEquals()) {
      const value = valueOf(statement.getExpression(), statement);
      if (value) exports.push({ name: "default", value, removal: drop });
    } else if (Node.isExportDeclaration(statement) && !statement.getModuleSpecifier() && !statement.isTypeOnly()) {
      for (const spec of statement.getNamedExports()) {
        const value = bindings.get(spec.getNameNode().getText());
        if (value) exports.push({ name: (spec.getAliasNode() ?? spec.getNameNode()).getText(), value, removal: { kind: "specifier", node: spec, list: statement } });
      }
    } else if (Node.isExpressionStatement(statement)) {
      for (const { name, value } of commonJsExports(statement, valueOf)) exports.push({ name, value, removal: drop });
    }
  }
  const handlers: HandlerDecl[] = [];
  for (const { name, value } of exports) {
    if (handlers.some((h) => h.name === name)) continue;
    const fn = handlerFunction(value.call);
    if (!fn) {
      unfollowed.push({ name, call: value.call });
      continue;
    }
    const removals = [{ kind: "statement", node: value.statement } as Removal, ...exports.filter((e) => e.value === value).map((e) => e.removal)];
    const [eventParam, contextParam] = fn.getParameters().map((p) => p.getName());
    handlers.push({ name, fn, statement: value.statement, removals, eventParam, contextParam });
  }
  return handlers;
}

export function handlerBodyStatements(handler: HandlerDecl): Statement[] {
  const body = handler.fn.getBody();
  return body && Node.isBlock(body) ? body.getStatements() : [];
}

/** Module-level `const h = withDurableExecution(...)` (exported or not), by name. */
function durableBindings(sourceFile: SourceFile): Map<string, DurableValue> {
  const bindings = new Map<string, DurableValue>();
  for (const statement of sourceFile.getStatements()) {
    if (!Node.isVariableStatement(statement)) continue;
    for (const decl of statement.getDeclarations()) {
      const init = decl.getInitializer();
      const call = init && unwrap(init);
      if (call && isDurableCall(call) && Node.isIdentifier(decl.getNameNode())) bindings.set(decl.getName(), { call, statement });
    }
  }
  return bindings;
}

/** `exports.h = v`, `module.exports.h = v`, `module.exports = { h, k: v }`: the names and durable values. */
function commonJsExports(statement: Statement, valueOf: (e: Expression | undefined, s: Statement) => DurableValue | undefined): { name: string; value: DurableValue }[] {
  if (!Node.isExpressionStatement(statement)) return [];
  const assignment = statement.getExpression();
  if (!Node.isBinaryExpression(assignment) || assignment.getOperatorToken().getText() !== "=") return [];
  const target = assignment.getLeft();
  const found: { name: string; value: DurableValue | undefined }[] = [];
  if (Node.isPropertyAccessExpression(target) && isExportsObject(target.getExpression())) {
    found.push({ name: target.getName(), value: valueOf(assignment.getRight(), statement) });
  } else if (target.getText() === "module.exports") {
    const object = unwrap(assignment.getRight());
    if (!Node.isObjectLiteralExpression(object)) return [];
    for (const property of object.getProperties()) {
      if (Node.isShorthandPropertyAssignment(property)) found.push({ name: property.getName(), value: valueOf(property.getNameNode(), statement) });
      else if (Node.isPropertyAssignment(property)) found.push({ name: property.getName(), value: valueOf(property.getInitializer(), statement) });
    }
  }
  return found.filter((f): f is { name: string; value: DurableValue } => f.value !== undefined);
}

const isExportsObject = (node: Node) => node.getText() === "exports" || node.getText() === "module.exports";

/** Whether the module calls withDurableExecution anywhere (to tell "none" from "none exported"). */
export function callsWithDurableExecution(sourceFile: SourceFile): boolean {
  return sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression).some(isDurableCall);
}

function isDurableCall(node: Node): node is CallExpression {
  return Node.isCallExpression(node) && isSdkFunction(node.getExpression(), "withDurableExecution");
}

/** The function a `withDurableExecution(...)` call wraps: written inline, or a function declaration or const function of the module. */
function handlerFunction(call: CallExpression): HandlerFunction | undefined {
  const arg = call.getArguments()[0];
  const fn = arg && unwrap(arg as Expression);
  if (!fn) return undefined;
  if (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) return fn;
  if (!Node.isIdentifier(fn)) return undefined;
  const declaration = fn.getSymbol()?.getDeclarations()[0];
  if (Node.isFunctionDeclaration(declaration) && declaration.getBody()) return declaration;
  if (Node.isVariableDeclaration(declaration) && declaration.getVariableStatement()?.getDeclarationKind() === "const") {
    const init = declaration.getInitializer();
    const value = init && unwrap(init);
    if (value && (Node.isArrowFunction(value) || Node.isFunctionExpression(value))) return value;
  }
  return undefined;
}

/** An expression without the parentheses, `as`, `satisfies` and `!` around it. */
function unwrap(expr: Node): Node {
  let e = expr;
  while (Node.isParenthesizedExpression(e) || Node.isAsExpression(e) || Node.isSatisfiesExpression(e) || Node.isNonNullExpression(e) || Node.isTypeAssertion(e)) e = e.getExpression();
  return e;
}
