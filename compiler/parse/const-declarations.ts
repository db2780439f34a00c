import { Node, VariableDeclarationKind, type Expression } from "ts-morph";

/**
 * What a name bound by `const` holds, seen through imports, other consts and type-only wrappers.
 * Kept apart from known-values.ts (which folds such values) so that the modules that only need to
 * follow a const (environment reads, option objects) do not depend on the folding.
 */

/** Parentheses and type-only wrappers (`as T`, `satisfies T`, `<T>x`, `x!`): none changes the value. */
export function withoutTypeWrappers(node: Node): Node {
  let e = node;
  while (Node.isParenthesizedExpression(e) || Node.isAsExpression(e) || Node.isSatisfiesExpression(e) || Node.isTypeAssertion(e) || Node.isNonNullExpression(e)) {
    e = e.getExpression();
  }
  return e;
}

/**
 * The expression a `const` holds, followed through imports and other consts: `retryStrategy:
 * STRATEGY` with `const STRATEGY = createRetryStrategy({...})` reads as that call. A const is
 * bound once; the call it names is the same call wherever the name is read.
 */
export function constInitializer(node: Expression): Expression {
  const seen = new Set<Node>();
  let e: Expression = withoutTypeWrappers(node) as Expression;
  for (;;) {
    const init = Node.isIdentifier(e) ? constDeclarationOf(e)?.getInitializer() : undefined;
    if (!init || seen.has(init)) return e;
    seen.add(init);
    e = withoutTypeWrappers(init) as Expression;
  }
}

/** The const declaration an identifier names (a shorthand property names its value), through imports. */
export function constDeclarationOf(id: Node) {
  const parent = id.getParent();
  let symbol = parent && Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : id.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  const declarations = symbol?.getDeclarations() ?? [];
  if (declarations.length !== 1) return undefined;
  const decl = declarations[0]!;
  if (!Node.isVariableDeclaration(decl) || !Node.isIdentifier(decl.getNameNode())) return undefined;
  const list = decl.getParent();
  // `for (const x of ...)` binds a new value each time round: only a const statement is one value.
  if (!Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== VariableDeclarationKind.Const) return undefined;
  if (!Node.isVariableStatement(list.getParent())) return undefined;
  return decl;
}
