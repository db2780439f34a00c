import { Node, SyntaxKind, type Expression, type Identifier, type ObjectLiteralExpression } from "ts-morph";
import { withoutTypeWrappers } from "./const-declarations.ts";
import { knownString } from "./known-values.ts";
import { moduleFunctionNamed, type ModuleFunction } from "./module-functions.ts";

/**
 * Strategy and tool tables: `const tools = { search: async (ctx, q) => ..., ... }` called as
 * `tools.search(context, q)` or `tools[name](context, q)`. The compiler inlines every durable
 * operation where it runs, so it must see each function a call can reach: that holds for a
 * `const` of this file holding an object literal of functions (written there, or named
 * functions of this module) that nothing changes or hands on. Then a key fixed at build time
 * names one function, and a key only the run knows one of the table's own keys, or none.
 */
export type TableCall =
  | { kind: "known"; fn: ModuleFunction }
  | { kind: "runtime"; table: Identifier; key: Expression; entries: { key: string; name: Node; fn: ModuleFunction }[] }
  | { kind: "refused"; reason: string };

/** What the callee of a call that passes the context reaches, when it reads a property of a table. */
export function tableCall(callee: Node): TableCall | undefined {
  const access = withoutTypeWrappers(callee);
  if (!Node.isPropertyAccessExpression(access) && !Node.isElementAccessExpression(access)) return undefined;
  const owner = withoutTypeWrappers(access.getExpression());
  if (!Node.isIdentifier(owner)) return undefined;
  const table = tableLiteral(owner);
  if (typeof table === "string") return { kind: "refused", reason: table };
  const entries = tableEntries(table);
  if (typeof entries === "string") return { kind: "refused", reason: entries };
  const changed = tableChanged(owner);
  if (changed) return { kind: "refused", reason: changed };
  const key = Node.isPropertyAccessExpression(access) ? access.getName() : knownString(access.getArgumentExpression());
  if (key !== undefined) {
    const entry = entries.find((e) => e.key === key);
    // A key the table does not hold: the call throws a TypeError, or reaches an Object.prototype member.
    return entry ? { kind: "known", fn: entry.fn } : { kind: "refused", reason: `\`${owner.getText()}\` has no function \`${key}\`` };
  }
  const runtimeKey = (access as Node & { getArgumentExpression(): Expression }).getArgumentExpression();
  // A key no entry holds makes the call throw V8's TypeError, which spells the callee its own way
  // (`tools[(Math.abs(...) % 4)]`): only a name or a chain of names reads there as written.
  if (!isNameChain(withoutTypeWrappers(runtimeKey))) {
    return { kind: "refused", reason: `the key \`${runtimeKey.getText()}\` is worked out by an expression, and the error for a key the table does not hold would not read as JavaScript's; bind it to a \`const\` first (\`const tool = ...; ${owner.getText()}[tool](...)\`)` };
  }
  return { kind: "runtime", table: owner, key: runtimeKey, entries };
}

/** `name` or `a.b.c`: names and property reads only, as V8 prints them in "... is not a function". */
function isNameChain(node: Node): boolean {
  if (Node.isIdentifier(node)) return true;
  return Node.isPropertyAccessExpression(node) && !node.hasQuestionDotToken() && isNameChain(node.getExpression());
}

/** The object literal a `const` of this file holds, or why the table is not one. */
function tableLiteral(owner: Identifier): ObjectLiteralExpression | string {
  const declarations = owner.getSymbol()?.getDeclarations() ?? [];
  const decl = declarations.find((d) => Node.isVariableDeclaration(d) && d.getSourceFile() === owner.getSourceFile());
  if (!decl || !Node.isVariableDeclaration(decl)) return `\`${owner.getText()}\` is not declared in this file`;
  if (decl.getVariableStatement()?.getDeclarationKind() !== "const") return `\`${owner.getText()}\` is not a \`const\` (another table may be assigned to it)`;
  const init = decl.getInitializer();
  const literal = init ? withoutTypeWrappers(init) : undefined;
  if (!literal || !Node.isObjectLiteralExpression(literal)) return `\`${owner.getText()}\` does not hold an object literal written here`;
  return literal;
}

/** The table's functions by key, or why one cannot be seen. */
function tableEntries(literal: ObjectLiteralExpression): { key: string; name: Node; fn: ModuleFunction }[] | string {
  const entries: { key: string; name: Node; fn: ModuleFunction }[] = [];
  for (const property of literal.getProperties()) {
    if (Node.isShorthandPropertyAssignment(property)) {
      // The shorthand's name is the property; the function is what its value symbol declares.
      const declared = property.getValueSymbol()?.getDeclarations().find((d) => d.getSourceFile() === property.getSourceFile());
      const fn = declared && Node.isFunctionDeclaration(declared) ? declared : declared && Node.isVariableDeclaration(declared) ? functionIn(declared.getInitializer()) : undefined;
      if (!fn) return `\`${property.getName()}\` is not a function of this file`;
      entries.push({ key: property.getName(), name: property.getNameNode(), fn });
      continue;
    }
    if (!Node.isPropertyAssignment(property)) {
      const what = Node.isMethodDeclaration(property) ? "a method (its `this` is the table)" : Node.isSpreadAssignment(property) ? "a spread" : "an accessor";
      return `the table has ${what}; write each entry as \`key: async (ctx, ...) => ...\``;
    }
    const nameNode = property.getNameNode();
    if (Node.isComputedPropertyName(nameNode)) return "the table has a computed key";
    const key = Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode) ? nameNode.getLiteralText() : nameNode.getText();
    const value = withoutTypeWrappers(property.getInitializerOrThrow());
    const fn = Node.isArrowFunction(value) || Node.isFunctionExpression(value) ? value : moduleFunctionNamed(value);
    if (!fn) return `\`${key}\` is not a function written in the table or declared in this file`;
    if (Node.isFunctionExpression(fn) && fn.getDescendantsOfKind(SyntaxKind.ThisKeyword).length > 0) return `\`${key}\` reads \`this\``;
    entries.push({ key, name: nameNode, fn });
  }
  return entries;
}

/** Why the table may hold other functions when called: a reference that changes it or hands it on. */
function tableChanged(owner: Identifier): string | undefined {
  for (const ref of owner.findReferencesAsNodes()) {
    const parent = ref.getParent();
    if (!parent || Node.isVariableDeclaration(parent)) continue;
    // `keyof typeof tools`: a type, no value.
    if (ref.getFirstAncestorByKind(SyntaxKind.TypeQuery)) continue;
    // `key in tools`: a read.
    if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.InKeyword && parent.getRight() === ref) continue;
    const access = Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent) ? parent : undefined;
    // `tools[k](...)`, also through wrappers (`tools[k]!(...)`, `(tools.search as Tool)(...)`).
    let callee: Node | undefined = access;
    while (callee && isTypeWrapper(callee.getParent())) callee = callee.getParent();
    const call = callee?.getParent();
    if (access && access.getExpression() === ref && Node.isCallExpression(call) && call.getExpression() === callee) continue;
    return `\`${owner.getText()}\` is used otherwise than by calling its functions (line ${ref.getStartLineNumber()}): it may be changed or handed on`;
  }
  return undefined;
}

function functionIn(init: Node | undefined): ModuleFunction | undefined {
  const e = init ? withoutTypeWrappers(init) : undefined;
  return e && (Node.isArrowFunction(e) || Node.isFunctionExpression(e)) ? e : undefined;
}

function isTypeWrapper(node: Node | undefined): boolean {
  return node !== undefined && withoutTypeWrappers(node) !== node;
}
