import { Node, type SourceFile } from "ts-morph";

/**
 * The classes of a module's top-level scope: its named class declarations and the identifiers it
 * imports whose value is a class. The fragments bundle hands them to the dispatcher, which
 * restores the prototype of their instances after a durable operation (runtime/fragments/values.ts).
 * Type-only imports have no value at run time and are left out.
 */
export function moduleClassNames(sourceFile: SourceFile): string[] {
  const names = new Set<string>();
  for (const c of sourceFile.getClasses()) {
    const name = c.getName();
    if (name) names.add(name);
  }
  for (const decl of sourceFile.getImportDeclarations()) {
    if (decl.isTypeOnly()) continue;
    const bound = [decl.getDefaultImport(), ...decl.getNamedImports().filter((n) => !n.isTypeOnly()).map((n) => n.getAliasNode() ?? n.getNameNode())];
    for (const id of bound) {
      if (id && Node.isIdentifier(id) && isClass(id)) names.add(id.getText());
    }
  }
  return [...names].sort();
}

function isClass(id: Node): boolean {
  const symbol = id.getSymbol();
  const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
  return (target?.getDeclarations() ?? []).some((d) => Node.isClassDeclaration(d) || (Node.isVariableDeclaration(d) && d.getType().getConstructSignatures().length > 0 && isClassLike(d)));
}

/** `declare const X: XConstructor` (how lib.d.ts and some packages declare classes): constructible and with a prototype. */
function isClassLike(d: Node): boolean {
  return Node.isVariableDeclaration(d) && d.getType().getProperty("prototype") !== undefined;
}
