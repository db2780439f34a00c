import { Node, type ArrowFunction, type FunctionDeclaration, type FunctionExpression } from "ts-morph";

/** A function written in the handler's module: a declaration, or an arrow or function expression. */
export type ModuleFunction = FunctionDeclaration | ArrowFunction | FunctionExpression;

/**
 * The function of this module that an identifier names: a function declaration, or a const
 * holding a function (through an import alias of the same module). Anything else, or a function
 * of another file, is undefined: the compiler follows only code it has in hand.
 */
export function moduleFunctionNamed(node: Node): ModuleFunction | undefined {
  if (!Node.isIdentifier(node)) return undefined;
  let symbol = node.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  for (const d of symbol?.getDeclarations() ?? []) {
    if (d.getSourceFile() !== node.getSourceFile()) continue;
    const fn = Node.isVariableDeclaration(d) ? d.getInitializer() : d;
    if (fn && (Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return fn;
  }
  return undefined;
}
