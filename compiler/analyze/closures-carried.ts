import { Node, VariableDeclarationKind } from "ts-morph";
import { containsDurableCall, isFunctionLike } from "../parse/durable-calls.ts";
import type { Local, Locals } from "./locals.ts";
import { assignmentRole, renderCode, type CodePiece } from "./render.ts";

/**
 * Functions the handler creates (`const f = () => ...`, `const f = function () {...}`,
 * `function f() {...}` in its body) are never carried as values: no encoding can carry code.
 * Instead each fragment that uses one re-creates it from its definition, before its own code
 * (the prelude), and what it captures is carried as ordinary locals. So a use of such a closure
 * counts as a read of everything it captures, transitively (render.ts asks `capturedReads`),
 * and liveness keeps those locals wherever the closure is used.
 *
 * Re-creating is faithful only when the captured bindings hold the same values in the new
 * fragment as in the old one: `const`s, and locals never reassigned anywhere; anything else
 * is refused when a fragment needs the prelude (`closureRefusal`).
 */
export interface Closure {
  local: Local;
  /** The function: an arrow function, a function expression or a function declaration. */
  fn: Node;
  /** The definition as rendered for a fragment (the initializer, or the whole declaration). */
  piece: CodePiece;
}

const closures = new WeakMap<Local, Closure | null>();
const inProgress = new WeakSet<Local>();
const capturers = new WeakMap<Local, Local>();

/** The function of a declaration the prelude can repeat, or undefined. */
function definedFunction(declaration: Node | undefined): Node | undefined {
  if (!declaration) return undefined;
  if (Node.isFunctionDeclaration(declaration)) return declaration.getName() ? declaration : undefined;
  if (!Node.isVariableDeclaration(declaration) || !Node.isIdentifier(declaration.getNameNode())) return undefined;
  let init = declaration.getInitializer();
  while (init && (Node.isParenthesizedExpression(init) || Node.isAsExpression(init) || Node.isSatisfiesExpression(init))) init = init.getExpression();
  // `const g = f`: an alias, re-created as such when `f` is a closure itself (closureOf checks).
  return init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init) || Node.isIdentifier(init)) ? init : undefined;
}

/** Does `local` hold a closure the prelude can re-create? (Also while its own definition is being read: recursion.) */
export function isClosure(local: Local, locals: Locals): boolean {
  return inProgress.has(local) || closureOf(local, locals) !== undefined;
}

/** The closure `local` holds, when it is one the prelude can re-create (durable helpers are inlined instead). */
function closureOf(local: Local, locals: Locals): Closure | undefined {
  const known = closures.get(local);
  if (known !== undefined) return known ?? undefined;
  if (inProgress.has(local)) return undefined;
  const fn = definedFunction(local.declaration);
  const declaration = local.declaration!;
  if (!fn || containsDurableCall(fn) || isReassigned(local)) {
    closures.set(local, null);
    return undefined;
  }
  inProgress.add(local);
  const piece = renderCode(Node.isVariableDeclaration(declaration) ? fn : declaration, locals);
  inProgress.delete(local);
  if (Node.isIdentifier(fn) && !piece.closures?.size) {
    closures.set(local, null); // an alias of a value that is not a closure
    return undefined;
  }
  const closure = { local, fn, piece };
  closures.set(local, closure);
  for (const captured of piece.reads) if (!capturers.has(captured)) capturers.set(captured, local);
  return closure;
}

/** Every closure `direct` reaches (itself included), in source order: what a fragment using them must re-create. */
export function reachedClosures(direct: Iterable<Local>): Closure[] {
  const seen = new Map<Local, Closure>();
  const queue = [...direct];
  while (queue.length > 0) {
    const local = queue.pop()!;
    if (seen.has(local)) continue;
    const closure = closures.get(local); // known: a piece lists only closures already read
    if (!closure) continue;
    seen.set(local, closure);
    queue.push(...(closure.piece.closures ?? []));
  }
  return [...seen.values()].sort((a, b) => a.fn.getStart() - b.fn.getStart());
}

/** The locals a use of these closures reads: everything they capture, through the closures they call. */
export function capturedReads(direct: Iterable<Local>): Local[] {
  return reachedClosures(direct).flatMap((c) => [...c.piece.reads]);
}

/** The locals a use of these closures may assign: a call writes what the closure assigns. */
export function capturedWrites(direct: Iterable<Local>): Local[] {
  return reachedClosures(direct).flatMap((c) => [...c.piece.writes]);
}

/** A closure that captures `local`, if one does: D2S2005 names it when `local` cannot be carried. */
export function capturerOf(local: Local): Local | undefined {
  return capturers.get(local);
}

/** The declaration a fragment's prelude repeats for `closure`, with the locals' unique ids. */
export function closureDeclaration(closure: Closure): string {
  return Node.isFunctionDeclaration(closure.fn) ? closure.piece.text : `const ${closure.local.id} = ${closure.piece.text};`;
}

/** Why re-creating `closure` in another fragment would not give the same function, or undefined. */
export function closureRefusal(closure: Closure): { captured: Local; why: string } | undefined {
  const written = [...(closure.piece.writes ?? [])][0];
  if (written) return { captured: written, why: "it assigns" };
  for (const captured of closure.piece.reads) {
    if (captured.errorRecord || captured.isContext) continue;
    if (isReassigned(captured)) return { captured, why: "is reassigned" };
  }
  return undefined;
}

/** Is `local` assigned anywhere after its declaration? Its references all lie in the function that declares it. */
export function isReassigned(local: Local): boolean {
  const declaration = local.declaration;
  if (!declaration) return false;
  if (Node.isVariableDeclaration(declaration) && declaration.getVariableStatement()?.getDeclarationKind() === VariableDeclarationKind.Const) return false;
  const name = Node.isVariableDeclaration(declaration) || Node.isParameterDeclaration(declaration) || Node.isBindingElement(declaration) ? declaration.getNameNode() : undefined;
  const symbol = name && Node.isIdentifier(name) ? name.getSymbol() : undefined;
  if (!symbol) return false;
  let scope: Node | undefined = declaration.getParent();
  while (scope && !isFunctionLike(scope) && !Node.isSourceFile(scope)) scope = scope.getParent();
  return (scope ?? declaration).getDescendants().some((n) => Node.isIdentifier(n) && n !== name && assignmentRole(n) !== undefined && symbolOf(n) === symbol);
}

/** The variable an identifier names; in a shorthand `{ total }` the variable, not the property. */
function symbolOf(identifier: Node) {
  const parent = identifier.getParent();
  return parent && Node.isShorthandPropertyAssignment(parent) ? (parent.getValueSymbol() ?? identifier.getSymbol()) : identifier.getSymbol();
}
