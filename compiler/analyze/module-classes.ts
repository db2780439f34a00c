import { Node, type SourceFile } from "ts-morph";

/**
 * The classes whose instances the fragments can restore with their prototype: those declared at
 * the top level of the handler's module and those it imports by name (named or default import).
 * The fragments module registers them under the identifiers the module spells (emit/bundle.ts);
 * the type check (carriable.ts) accepts instances of exactly these.
 */
export interface ModuleClasses {
  /** The identifiers, as written in the module: the registry's keys. */
  names: string[];
  /** The class declarations they name, to recognise a type's class. */
  declarations: Set<Node>;
}

const cache = new WeakMap<SourceFile, ModuleClasses>();

function isClassNode(node: Node): boolean {
  return Node.isClassDeclaration(node) || Node.isClassExpression(node);
}

export function moduleClasses(sourceFile: SourceFile): ModuleClasses {
  const known = cache.get(sourceFile);
  if (known) return known;
  const names: string[] = [];
  const declarations = new Set<Node>();
  const add = (name: string | undefined, decls: Node[]) => {
    const classes = decls.filter(isClassNode);
    if (!name || classes.length === 0) return;
    names.push(name);
    classes.forEach((d) => declarations.add(d));
  };
  for (const statement of sourceFile.getStatements()) {
    if (Node.isClassDeclaration(statement)) add(statement.getName(), [statement]);
    if (Node.isVariableStatement(statement)) {
      for (const d of statement.getDeclarations()) {
        const init = d.getInitializer();
        if (init && Node.isClassExpression(init) && Node.isIdentifier(d.getNameNode())) add(d.getName(), [init]);
      }
    }
    if (Node.isImportDeclaration(statement) && !statement.isTypeOnly()) {
      const imported = [...(statement.getDefaultImport() ? [statement.getDefaultImport()!] : []), ...statement.getNamedImports().filter((n) => !n.isTypeOnly()).map((n) => n.getAliasNode() ?? n.getNameNode())];
      for (const id of imported) {
        const symbol = id.getSymbol();
        const target = symbol?.getAliasedSymbol() ?? symbol;
        add(id.getText(), target?.getDeclarations() ?? []);
      }
    }
  }
  const result = { names, declarations };
  cache.set(sourceFile, result);
  return result;
}
