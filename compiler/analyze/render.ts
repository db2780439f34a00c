import { Node, SyntaxKind, VariableDeclarationKind } from "ts-morph";
import { containsDurableCall, isFunctionLike } from "../parse/durable-calls.ts";
import type { Local, Locals } from "./locals.ts";

/**
 * A piece of handler code as it will run inside a fragment: its text, with every handler local
 * renamed to its unique id, and which locals it reads, writes and declares (for liveness).
 */
export interface CodePiece {
  text: string;
  reads: Set<Local>;
  writes: Set<Local>;
  declares: Set<Local>;
  /** Closures of the handler it uses: re-created in its fragment, never carried (closures-carried.ts). */
  closures?: Set<Local>;
  node?: Node;
  /** A for…of step the compiler wrote (no node of its own): what it assigns, for transform/assign.ts. */
  loopStep?: LoopStep;
}

export type LoopStep =
  | { step: "start"; items: Local; index: Local; source: Node }
  | { step: "item"; items: Local; index: Local; target: Local }
  | { step: "next"; index: Local };

export function emptyPiece(text = ""): CodePiece {
  return { text, reads: new Set(), writes: new Set(), declares: new Set() };
}

const ASSIGNMENT_OPERATORS = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.PlusEqualsToken,
  SyntaxKind.MinusEqualsToken,
  SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.SlashEqualsToken,
  SyntaxKind.PercentEqualsToken,
  SyntaxKind.AsteriskAsteriskEqualsToken,
  SyntaxKind.AmpersandEqualsToken,
  SyntaxKind.BarEqualsToken,
  SyntaxKind.CaretEqualsToken,
  SyntaxKind.LessThanLessThanEqualsToken,
  SyntaxKind.GreaterThanGreaterThanEqualsToken,
  SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Strings, numbers, booleans, null and undefined: values that are copied, never shared. */
export function isPrimitiveType(type: import("ts-morph").Type | undefined): boolean {
  if (!type) return false;
  const parts = type.isUnion() && !type.isBoolean() ? type.getUnionTypes() : [type];
  return parts.every((t) => t.isString() || t.isStringLiteral() || t.isNumber() || t.isNumberLiteral() || t.isBoolean() || t.isBooleanLiteral() || t.isNull() || t.isUndefined() || t.isTemplateLiteral());
}

export function isAssignmentOperator(kind: SyntaxKind): boolean {
  return ASSIGNMENT_OPERATORS.has(kind);
}

/** Is this identifier (or the pattern it sits in) the target of an assignment? Plain `=` does not read it. */
export function assignmentRole(identifier: Node): "write" | "readwrite" | undefined {
  let child: Node = identifier;
  let parent = identifier.getParent();
  // Walk up through destructuring patterns: ({a, b: [c]} = value)
  while (
    parent &&
    (Node.isShorthandPropertyAssignment(parent) ||
      Node.isPropertyAssignment(parent) ||
      Node.isObjectLiteralExpression(parent) ||
      Node.isArrayLiteralExpression(parent) ||
      Node.isSpreadAssignment(parent) ||
      Node.isSpreadElement(parent) ||
      Node.isParenthesizedExpression(parent))
  ) {
    if (Node.isPropertyAssignment(parent) && parent.getInitializer() !== child) return undefined;
    child = parent;
    parent = parent.getParent();
  }
  if (parent && Node.isBinaryExpression(parent) && parent.getLeft() === child) {
    const op = parent.getOperatorToken().getKind();
    if (!ASSIGNMENT_OPERATORS.has(op)) return undefined;
    return op === SyntaxKind.EqualsToken ? "write" : "readwrite";
  }
  if (child !== identifier) return undefined;
  if (parent && (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent))) {
    const op = parent.getOperatorToken();
    if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) return "readwrite";
  }
  if (parent && (Node.isForOfStatement(parent) || Node.isForInStatement(parent)) && parent.getInitializer() === identifier) {
    return "write";
  }
  return undefined;
}

function isDeclarationName(identifier: Node): boolean {
  const parent = identifier.getParent();
  if (!parent) return false;
  if ((Node.isVariableDeclaration(parent) || Node.isBindingElement(parent) || Node.isParameterDeclaration(parent)) && parent.getNameNode() === identifier) {
    return true;
  }
  return (Node.isFunctionDeclaration(parent) || Node.isClassDeclaration(parent)) && parent.getNameNode() === identifier;
}

/** Identifiers that name a property rather than a variable: `a.b`'s `b`, `{b: 1}`'s `b`, ... */
export function isPropertyName(identifier: Node): boolean {
  const parent = identifier.getParent();
  if (!parent) return false;
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) return true;
  if ((Node.isPropertyAssignment(parent) || Node.isPropertySignature(parent) || Node.isMethodDeclaration(parent) || Node.isPropertyDeclaration(parent) || Node.isGetAccessorDeclaration(parent) || Node.isSetAccessorDeclaration(parent)) && parent.getNameNode() === identifier) {
    return true;
  }
  if (Node.isBindingElement(parent) && parent.getPropertyNameNode() === identifier) return true;
  if (Node.isQualifiedName(parent) || Node.isTypeReference(parent)) return true;
  return false;
}

/** Renders `node` for a fragment; `skip` leaves out sub-trees that the caller replaces itself. */
export function renderCode(node: Node, locals: Locals, replacements: Map<Node, string> = new Map()): CodePiece {
  const piece: CodePiece = { text: "", reads: new Set(), writes: new Set(), declares: new Set(), node };
  const start = node.getStart();
  const edits: { from: number; to: number; text: string }[] = [];
  for (const [target, text] of replacements) edits.push({ from: target.getStart(), to: target.getEnd(), text });
  const replaced = (n: Node) => edits.some((e) => n.getStart() >= e.from && n.getEnd() <= e.to);

  const visit = (n: Node) => {
    if (replaced(n)) return;
    const shape = Node.isObjectLiteralExpression(n) ? shapeOf(n, locals) : undefined;
    if (shape) {
      // Tagged where it is created, so that it can be carried (shapes.ts; runtime/fragments/shapes.ts).
      edits.push({ from: n.getStart(), to: n.getStart(), text: `$d.shaped(${JSON.stringify(shape.id)}, ` });
      edits.push({ from: n.getEnd(), to: n.getEnd(), text: `, () => ({ ${shape.env.map((l) => l.id).join(", ")} }))` });
    }
    if (Node.isIdentifier(n) && !isPropertyName(n)) {
      const local = locals.resolve(n);
      if (local?.isContext) {
        // Inside a fragment, only the logger of the context exists (runtime/fragments/dispatcher.ts).
        edits.push({ from: n.getStart(), to: n.getEnd(), text: "$d.context" });
      } else if (local) {
        if (isDeclarationName(n)) piece.declares.add(local);
        else if (isClosure(local, locals)) (piece.closures ??= new Set()).add(local);
        else {
          const role = assignmentRole(n);
          if (role === "write" || role === "readwrite") piece.writes.add(local);
          if (role !== "write") piece.reads.add(local);
        }
        const parent = n.getParent();
        const shorthand =
          (parent && Node.isShorthandPropertyAssignment(parent)) ||
          (parent &&
            Node.isBindingElement(parent) &&
            !parent.getPropertyNameNode() &&
            !parent.getDotDotDotToken() &&
            Node.isObjectBindingPattern(parent.getParent()!));
        if (shorthand) edits.push({ from: n.getStart(), to: n.getEnd(), text: `${n.getText()}: ${local.id}` });
        else if (local.id !== n.getText()) edits.push({ from: n.getStart(), to: n.getEnd(), text: local.id });
        if (local.errorRecord) piece.reads.add(local.errorRecord);
      }
    }
    n.forEachChild(visit);
  };
  visit(node);
  // Using a closure reads what it captures (those locals are carried, the closure is re-created)
  // and may assign what it assigns.
  for (const l of capturedReads(piece.closures ?? [])) piece.reads.add(l);
  for (const l of capturedWrites(piece.closures ?? [])) piece.writes.add(l);
  edits.sort((a, b) => b.from - a.from);
  let text = node.getText();
  for (const e of edits) text = text.slice(0, e.from - start) + e.text + text.slice(e.to - start);
  piece.text = text;
  return piece;
}

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

/**
 * An object literal of handler code with methods, getters or setters (or properties holding a
 * function written in place): its members as rendered, and the handler locals they read. The
 * fragments module makes the members again from this text (analyze/shapes.ts), so that the object
 * can cross a durable operation with its code.
 */
export interface Shape {
  id: string;
  literal: Node;
  members: CodePiece[];
  /** The locals the members read (carried with the object), the closures they call, what they assign. */
  env: Local[];
  closures: Set<Local>;
  writes: Set<Local>;
  locals: Locals;
}

const shapes = new WeakMap<Node, Shape[]>();
const shapesPerHandler = new WeakMap<Locals, Map<string, Shape>>();

/** The members a shape makes again: methods, accessors, and properties initialised with a function. */
export function shapeMembers(literal: Node): Node[] {
  if (!Node.isObjectLiteralExpression(literal)) return [];
  return literal.getProperties().filter((p) => {
    if (Node.isMethodDeclaration(p) || Node.isGetAccessorDeclaration(p) || Node.isSetAccessorDeclaration(p)) return true;
    if (!Node.isPropertyAssignment(p)) return false;
    let init = p.getInitializer();
    while (init && (Node.isParenthesizedExpression(init) || Node.isAsExpression(init) || Node.isSatisfiesExpression(init))) init = init.getExpression();
    return init !== undefined && (Node.isArrowFunction(init) || Node.isFunctionExpression(init));
  });
}

function shapeOf(literal: Node, locals: Locals): Shape | undefined {
  const memberNodes = shapeMembers(literal);
  // Code with durable operations (a parallel branch `{ name, func }`) is lowered into states, never made again.
  if (memberNodes.length === 0 || memberNodes.some((m) => containsDurableCall(m))) return undefined;
  const members = memberNodes.map((m) => renderCode(m, locals));
  const text = members.map((m) => m.text).join("\n");
  const variants = shapes.get(literal) ?? [];
  const mine = variants.filter((v) => v.locals === locals);
  const known = mine.find((v) => v.members.map((m) => m.text).join("\n") === text);
  if (known) return known;
  // One literal inlined into several scopes renders with other ids: one site per rendering.
  const base = `L${literal.getStartLineNumber()}C${literal.getStart() - literal.getStartLinePos() + 1}`;
  const id = mine.length === 0 ? base : `${base}_${mine.length + 1}`;
  const reads = new Set(members.flatMap((m) => [...m.reads]));
  const records = new Set([...reads].flatMap((l) => (l.errorRecord ? [l.errorRecord] : [])));
  const declared = new Set(members.flatMap((m) => [...m.declares]));
  const shape: Shape = {
    id,
    literal,
    members,
    env: [...reads].filter((l) => !records.has(l) && !declared.has(l) && !l.isContext).sort((a, b) => a.id.localeCompare(b.id)),
    closures: new Set(members.flatMap((m) => [...(m.closures ?? [])])),
    writes: new Set(members.flatMap((m) => [...m.writes])),
    locals,
  };
  shapes.set(literal, [...variants, shape]);
  if (!shapesPerHandler.has(locals)) shapesPerHandler.set(locals, new Map());
  shapesPerHandler.get(locals)!.set(id, shape);
  return shape;
}

/** The renderings of an object literal as a shape, if handler code created it. */
export const shapesOf = (literal: Node): Shape[] => shapes.get(literal) ?? [];

/** The shapes of one handler's code, by site. */
export const handlerShapes = (locals: Locals): Shape[] => [...(shapesPerHandler.get(locals)?.values() ?? [])];

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
