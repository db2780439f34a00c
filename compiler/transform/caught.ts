import { Node, SyntaxKind } from "ts-morph";
import type { Local } from "../analyze/locals.ts";
import { isFunctionLike } from "../parse/durable-calls.ts";
import { BUILTIN_ERROR_CLASSES, SDK_ERROR_SUBCLASSES } from "./jsonata-exact.ts";

/**
 * A catch binding whose value the machine may take from its error record (error-records.ts):
 * the catch block only reads it (`.message`, `.name`, `instanceof`) and throws it on. An error
 * object assigned, changed, handed to a function or captured by one could differ from what its
 * record rebuilds, so such a binding stays with the fragments.
 */
export function isUntouchedCatchBinding(local: Local): boolean {
  const declaration = local.declaration;
  if (!local.errorRecord || !declaration || !Node.isVariableDeclaration(declaration)) return false;
  const clause = declaration.getParent();
  if (!clause || !Node.isCatchClause(clause)) return false;
  const name = declaration.getNameNode();
  const symbol = Node.isIdentifier(name) ? name.getSymbol() : undefined;
  if (!symbol) return false;
  return clause
    .getBlock()
    .getDescendants()
    .filter((n) => Node.isIdentifier(n) && n.getSymbol() === symbol)
    .every((n) => onlyRead(n, clause));
}

function onlyRead(reference: Node, clause: Node): boolean {
  for (let n: Node | undefined = reference.getParent(); n && n !== clause; n = n.getParent()) if (isFunctionLike(n)) return false;
  let use: Node = reference;
  let parent = use.getParent();
  while (parent && (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isNonNullExpression(parent))) [use, parent] = [parent, parent.getParent()];
  if (!parent) return false;
  if (Node.isThrowStatement(parent)) return true;
  if (Node.isBinaryExpression(parent)) return parent.getLeft() === use && parent.getOperatorToken().getText() === "instanceof";
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === use) {
    const outer = parent.getParent();
    // Read, not assigned, deleted, counted or called (a method may change the error).
    if (!outer) return false;
    if (Node.isBinaryExpression(outer) && outer.getLeft() === parent && /=$/.test(outer.getOperatorToken().getText()) && !/^(==|===|!=|!==|<=|>=)$/.test(outer.getOperatorToken().getText())) return false;
    if (Node.isCallExpression(outer) && outer.getExpression() === parent) return false;
    if (Node.isDeleteExpression(outer) || Node.isPostfixUnaryExpression(outer)) return false;
    if (Node.isPrefixUnaryExpression(outer) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(outer.getOperatorToken())) return false;
    return true;
  }
  return false;
}

/**
 * The error class an identifier names, when it is the global Error, a built-in error class (both
 * declared by the TypeScript library, not shadowed) or an SDK error class imported from the SDK;
 * else undefined.
 */
export function errorClassName(identifier: Node): string | undefined {
  const symbol = identifier.getSymbol();
  for (const decl of symbol?.getDeclarations() ?? []) {
    if (Node.isImportSpecifier(decl)) {
      const name = decl.getName();
      const sdk = decl.getImportDeclaration().getModuleSpecifierValue() === "@aws/durable-execution-sdk-js";
      return sdk && name in SDK_ERROR_SUBCLASSES ? name : undefined;
    }
  }
  const name = identifier.getText();
  const global = (symbol?.getDeclarations() ?? []).every((d) => d.getSourceFile().isDeclarationFile());
  return global && symbol && (name === "Error" || BUILTIN_ERROR_CLASSES.includes(name)) ? name : undefined;
}
