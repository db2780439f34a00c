import { Node, SyntaxKind, type ExportDeclaration, type SourceFile, type Statement } from "ts-morph";
import type { HandlerDecl, Removal } from "../parse/handlers.ts";

/** The name the fragments module exports its dispatcher under: what Lambda's `index.handler` calls. */
export const DISPATCHER_EXPORT = "handler";

export interface FragmentsModule {
  /** The user's module without its durable handlers, ready for the generated code to be appended. */
  text: string;
  /** A CommonJS module (`require`, `module.exports`): the generated code reaches the SDK the same way. */
  commonJs: boolean;
}

/**
 * The user's module as the fragments bundle holds it: every durable handler's declaration and
 * exports left out, and any other export named `handler` made module-local (it stays callable by
 * the module's code; only the dispatcher may be the bundle's `handler`). A CommonJS module gets
 * local `module` and `exports` objects: the bundle is ESM, where they do not exist, and its
 * assignments to them only exported things nobody imports from the bundle.
 */
export function fragmentsModule(sourceFile: SourceFile, handlers: HandlerDecl[]): FragmentsModule {
  const removals: Cut[] = [...handlers.flatMap((h) => h.removals), ...dispatcherCollisions(sourceFile, handlers)];
  const edits: Edit[] = [];
  const specifiers = new Map<ExportDeclaration, Set<Node>>();
  for (const r of removals) {
    if (r.kind === "statement") edits.push({ start: r.node.getStart(), end: r.node.getEnd(), text: "" });
    else if (r.kind === "specifier" && Node.isExportDeclaration(r.list)) specifiers.set(r.list, (specifiers.get(r.list) ?? new Set()).add(r.node));
    else edits.push({ start: r.node.getStart(), end: r.node.getEnd(), text: "" }); // an `export` keyword
  }
  for (const [list, gone] of specifiers) edits.push({ start: list.getStart(), end: list.getEnd(), text: exportListWithout(list, gone) });
  const commonJs = isCommonJs(sourceFile);
  const text = applyEdits(sourceFile.getFullText(), edits);
  return { text: commonJs ? `const module: any = { exports: {} }; const exports: any = module.exports;\n${text}` : text, commonJs };
}

/** What leaves the module: a handler's removals, or the `export` keyword of a colliding declaration. */
type Cut = Removal | { kind: "keyword"; node: Node };

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Edits from the end, so that earlier offsets stay valid; an edit inside one already applied (a specifier of a dropped statement) is skipped. */
function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  let floor = Infinity;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    if (e.end > floor) continue;
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    floor = e.start;
  }
  return out;
}

/** `export { a, b as c } from "m";` without some specifiers; with none left, the import of `m` stays for its side effects. */
function exportListWithout(list: ExportDeclaration, gone: Set<Node>): string {
  const rest = list.getNamedExports().filter((s) => !gone.has(s)).map((s) => s.getText());
  const from = list.getModuleSpecifier()?.getText();
  if (rest.length === 0) return from ? `import ${from};` : "";
  return `export { ${rest.join(", ")} }${from ? ` from ${from}` : ""};`;
}

/** Exports named like the dispatcher's that are not durable handlers: their `export` keyword or specifier goes. */
function dispatcherCollisions(sourceFile: SourceFile, handlers: HandlerDecl[]): Cut[] {
  if (handlers.some((h) => h.name === DISPATCHER_EXPORT)) return [];
  const out: Cut[] = [];
  for (const statement of sourceFile.getStatements()) {
    if (Node.isExportDeclaration(statement)) {
      for (const spec of statement.getNamedExports()) {
        if ((spec.getAliasNode() ?? spec.getNameNode()).getText() === DISPATCHER_EXPORT) out.push({ kind: "specifier", node: spec, list: statement });
      }
      continue;
    }
    const keyword = exportKeyword(statement);
    if (keyword) out.push({ kind: "keyword", node: keyword });
  }
  return out;
}

/** The `export` keyword of `export const handler = ...`, `export function handler`, `export class handler`. */
function exportKeyword(statement: Statement): Node | undefined {
  const declares = Node.isVariableStatement(statement)
    ? statement.getDeclarations().some((d) => d.getName() === DISPATCHER_EXPORT)
    : (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement)) && !statement.isDefaultExport() && statement.getName() === DISPATCHER_EXPORT;
  if (!declares || !Node.isModifierable(statement)) return undefined;
  return statement.getModifiers().find((m) => m.getText() === "export");
}

/** A module that uses `require`, `module.exports` or `exports.x` and has no import or export declaration. */
function isCommonJs(sourceFile: SourceFile): boolean {
  const esm = sourceFile.getStatements().some((s) => Node.isImportDeclaration(s) || Node.isExportDeclaration(s) || Node.isExportAssignment(s) || (Node.isModifierable(s) && s.hasModifier(SyntaxKind.ExportKeyword)));
  return !esm && /\b(require\s*\(|module\.exports\b|exports\.)/.test(sourceFile.getFullText());
}
