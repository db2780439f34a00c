import { Node, SyntaxKind, type Expression, type Identifier, type VariableDeclaration } from "ts-morph";
import { constDeclarationOf } from "./const-declarations.ts";
import { asDurableCall, isSdkFunction } from "./durable-calls.ts";

/**
 * Whether the object a `const` holds is still the one written when it is read: every use of the
 * const in the project is checked (TypeScript finds them), and the first that could change it is
 * the reason given. Used for options passed by name (const-options.ts) and for plain const objects
 * read as build-time values (known-values.ts).
 */

/** Why the object a const declaration holds could have changed when it is read, or undefined when it cannot. */
export function changedBy(decl: VariableDeclaration, seen = new Set<Node>()): string | undefined {
  if (seen.has(decl)) return undefined;
  seen.add(decl);
  const name = decl.getNameNode() as Identifier;
  for (const ref of name.findReferencesAsNodes()) {
    if (ref === name || !Node.isIdentifier(ref)) continue;
    const parent = ref.getParent();
    // `import { x }` / `export { x }`: the uses in the other module are among the references too.
    if (Node.isImportSpecifier(parent) || Node.isExportSpecifier(parent) || Node.isImportClause(parent)) continue;
    // `typeof x` in a type: no value is read.
    if (parent && Node.isTypeQuery(parent)) continue;
    const why = useChanges(ref, name.getText(), seen);
    if (why) return why;
  }
  return undefined;
}

/** Why this use of the object (or of a field of it) could change it, or undefined when it only reads it. */
function useChanges(node: Node, what: string, seen: Set<Node>): string | undefined {
  let top: Node = node;
  for (let up = top.getParent(); up && isTypeWrapper(up) && up.getExpression() === top; up = top.getParent()) top = up;
  const parent = top.getParentOrThrow();
  const line = top.getStartLineNumber();
  // Another const holding it (`const b = a`), or an object literal that holds it as a field (`{ retryStrategy }`):
  // those are checked in turn, since a change made through them is a change of this object.
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === top) {
    const decl = constDeclarationOf(parent.getNameNode());
    return decl === parent ? changedBy(parent, seen) : `\`${what}\` is copied into a variable at line ${line}, which may change it`;
  }
  if ((Node.isPropertyAssignment(parent) && parent.getInitializer() === top) || Node.isShorthandPropertyAssignment(parent) || Node.isSpreadAssignment(parent)) {
    return useChanges(parent.getParentOrThrow(), what, seen);
  }
  if (Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) {
    if (parent.getExpression() !== top) return undefined; // the key of `o[x]`
    const member = `${what}${Node.isPropertyAccessExpression(parent) ? `.${parent.getName()}` : "[…]"}`;
    if (isWritten(parent)) return `\`${member}\` is changed at line ${line}`;
    const grand = parent.getParent();
    if (grand && Node.isCallExpression(grand) && grand.getExpression() === parent) return `\`${member}\`(…) is called at line ${line}, and may change \`${what}\``;
    // A field that holds a number or a string cannot be changed through what is read.
    const type = parent.getType();
    if (type.isString() || type.isNumber() || type.isBoolean() || type.isLiteral() || type.isUndefined() || type.isNull()) return undefined;
    return useChanges(parent, member, seen);
  }
  if (Node.isCallExpression(parent) && parent.getArguments().includes(top as Expression)) {
    // The SDK's operations and functions only read their options.
    if (asDurableCall(parent) || isSdkCallee(parent.getExpression())) return undefined;
    return `\`${what}\` is passed to \`${parent.getExpression().getText()}\` at line ${line}, which may change it`;
  }
  if (Node.isBinaryExpression(parent) && [SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken, SyntaxKind.InKeyword, SyntaxKind.InstanceOfKeyword].includes(parent.getOperatorToken().getKind())) return undefined;
  if (Node.isTypeOfExpression(parent) || (Node.isPrefixUnaryExpression(parent) && parent.getOperatorToken() === SyntaxKind.ExclamationToken)) return undefined;
  if (Node.isTemplateSpan(parent)) return undefined;
  if (isWritten(top)) return `\`${what}\` is changed at line ${line}`;
  return `\`${what}\` is used at line ${line} in a way that may change it`;
}

/** The target of `=`, `+=`, `++`, `delete`, or of a destructuring assignment. */
function isWritten(node: Node): boolean {
  const parent = node.getParent();
  if (!parent) return false;
  if (Node.isBinaryExpression(parent) && parent.getLeft() === node) {
    const kind = parent.getOperatorToken().getKind();
    return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
  }
  if (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) {
    const op = parent.getOperatorToken();
    return op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken;
  }
  if (Node.isDeleteExpression(parent)) return true;
  // `[o.a] = ...`, `({ k: o.a } = ...)`, `[...o.a] = ...`
  if (Node.isArrayLiteralExpression(parent) || Node.isSpreadElement(parent)) return isWritten(parent);
  if ((Node.isPropertyAssignment(parent) && parent.getInitializer() === node) || Node.isShorthandPropertyAssignment(parent) || Node.isSpreadAssignment(parent)) return isWritten(parent.getParentOrThrow());
  if ((Node.isForOfStatement(parent) || Node.isForInStatement(parent)) && parent.getInitializer() === node) return true;
  return false;
}

function isSdkCallee(callee: Node): boolean {
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
  return name !== undefined && isSdkFunction(callee, name);
}

function isTypeWrapper(node: Node): node is Node & { getExpression(): Node } {
  return Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isTypeAssertion(node) || Node.isNonNullExpression(node);
}
