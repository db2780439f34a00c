import { Node, SyntaxKind, type Expression, type Identifier, type Statement, type VariableDeclaration } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { asDurableCall, nativeCombinator, type DurableCall } from "../parse/durable-calls.ts";
import type { Local } from "../analyze/locals.ts";
import { renderCode } from "../analyze/render.ts";
import { combinedCallback } from "./callbacks.ts";
import type { Lowering } from "./context.ts";
import type { PendingOp } from "./pending-types.ts";
import { plainCodeRefusal } from "./started-between.ts";

/**
 * Operations created first and awaited or combined later: `const a = context.step(...)`, then
 * `await context.promise.all([a, b])` or `await a`. Under the SDK an operation starts when it is
 * called and its record is made then; the compiled machine starts it where it is consumed. That
 * is the same run when nothing between the two can tell them apart, which is what this file
 * checks: the local is used once, by an `await` of it or as an element of one awaited
 * combinator, at the same statement level as its creation (or in the `try` block of a try
 * statement there); only other started operations, plain code (started-between.ts) and awaited
 * operations (which run beside the started ones) stand between. A combinator runs every
 * operation still started, in its Parallel state: those it does not take are "settled" there,
 * their outcomes kept in a local until their own consumer reads them (any code may then stand
 * between). Plain code other than log lines, and `await a` while others are started, first run
 * every started operation that way (started-settle.ts).
 */

export type { PendingOp } from "./pending-types.ts";

/** The operations a combinator or an await may take: what starts a record when called. */
const STARTABLE = new Set(["step", "wait", "waitForCallback", "waitForCondition", "invoke", "runInChildContext"]);

export function isStartable(call: DurableCall): boolean {
  return STARTABLE.has(call.method);
}

/** `const a = context.step(...)` (not awaited): noted as started, nothing emitted yet. Returns false for any other declaration. */
export function startPending(lo: Lowering, declaration: VariableDeclaration, kind: string): boolean {
  let init: Node | undefined = declaration.getInitializer();
  while (init && Node.isParenthesizedExpression(init)) init = init.getExpression();
  const call = init ? asDurableCall(init) : undefined;
  const name = declaration.getNameNode();
  if (!call || !STARTABLE.has(call.method) || !Node.isIdentifier(name)) return false;
  const local = lo.locals.resolve(name)!;
  const uses = usesOf(name);
  if (kind !== "const" || uses.length !== 1 || !consumedInPlace(uses[0], declaration)) fail(declaration, messages.D2S2007.startedNotConsumed({ name: name.getText() }));
  const [first] = unsettled(lo);
  // Code that may throw between two creations: under the SDK the later one would then never start.
  if (first?.between?.length) fail(first.between[0], messages.D2S2007.codeBetweenStarts({ ...at(first), later: name.getText(), laterLine: declaration.getStartLineNumber() }));
  lo.pending.set(local, { call, declaration, createdAt: { code: lo.cur.code, index: lo.cur.code.length } });
  return true;
}

/** The started operation an identifier names, taken out of the started set (its consumer lowers it). */
export function takePending(lo: Lowering, node: Node): PendingOp | undefined {
  if (!Node.isIdentifier(node) || lo.pending.size === 0) return undefined;
  const local = lo.locals.resolve(node);
  const pending = local && lo.pending.get(local);
  if (!pending) return undefined;
  lo.pending.delete(local);
  return pending;
}

/** The started operations not run yet, in creation order. */
export function unsettled(lo: Lowering): PendingOp[] {
  return [...lo.pending.values()].filter((p) => !p.settled);
}

/** The operation is being lowered: no longer started-and-waiting. */
export function dropPending(lo: Lowering, call: DurableCall): void {
  for (const [local, p] of lo.pending) if (p.call.call === call.call) lo.pending.delete(local);
}

/**
 * `await a`: the operation `a` holds when it is the only one not run yet; one a combinator has
 * run already (or started-settle.ts, when others are started too) is read back as
 * `Promise.race([a])` of its outcome.
 */
export function awaitedPending(lo: Lowering, node: Node): DurableCall | undefined {
  if (!Node.isIdentifier(node)) return undefined;
  const local = lo.locals.resolve(node);
  const pending = local && lo.pending.get(local);
  if (!pending) return undefined;
  if (pending.settled) return { ...pending.call, method: SETTLED_AWAIT };
  return pending.call;
}

/** The method of an `await` of an operation already run (operations.ts). */
export const SETTLED_AWAIT = "await-settled";

/**
 * While operations are started, only more of them, plain code that they cannot tell from code
 * run after them (started-between.ts), awaited operations and the statement that consumes them
 * may come. `needsBlock`: the statement lowering would give it blocks of its own. Returns
 * "settle" for the statement that consumes them (or runs beside them) when plain code other than
 * log lines stood between: started-between.ts then runs the started operations first.
 */
export function refuseBetween(lo: Lowering, statement: Statement, needsBlock: (s: Statement) => boolean): "settle" | undefined {
  const [first] = unsettled(lo);
  if (!first) return undefined;
  // More started operations, and `let x;` (which does nothing).
  if (Node.isVariableStatement(statement) && statement.getDeclarations().every((d) => isStartedDeclaration(d) || !d.getInitializer())) return undefined;
  if (isLogLine(lo, statement)) return undefined;
  // `await context.wait(...)`: it runs beside the started ones (batch.ts, runBesideStarted).
  if (awaitsStartable(statement) || consumesPending(lo, statement)) return first.between?.length || awaitsOneOfSeveral(lo, statement) ? "settle" : undefined;
  const refusal = plainCodeRefusal(lo, statement, unsettled(lo), needsBlock(statement));
  if (refusal?.kind === "shared") fail(statement, messages.D2S2007.sharedWhileStarted({ ...at(refusal.op), local: refusal.local }));
  if (refusal) fail(statement, messages.D2S2007.codeWhileStarted({ ...at(first), what: refusal.what }));
  (first.between ??= []).push(statement);
  return undefined;
}

/**
 * `await a` while other started operations wait too: they all run first (started-settle.ts),
 * as under the SDK they run beside `a`, also when `a` fails; `await a` then reads its outcome.
 */
function awaitsOneOfSeveral(lo: Lowering, statement: Statement): boolean {
  const started = unsettled(lo);
  return started.length > 1 && started.some((p) => statement.containsRange(consumerOf(p).getPos(), consumerOf(p).getEnd()) && !Node.isArrayLiteralExpression(consumerOf(p).getParent()));
}

/** A started operation's name and line, for messages. */
function at(p: PendingOp): { name: string; line: number } {
  return { name: p.declaration.getName(), line: p.declaration.getStartLineNumber() };
}

/** The statement holds the `await` (or combinator) that consumes a started operation. */
export function consumesPending(lo: Lowering, statement: Statement): boolean {
  return [...lo.pending.values()].some((p) => statement.containsRange(consumerOf(p).getPos(), consumerOf(p).getEnd()));
}

/** `await context.op(...)`, `const x = await context.op(...)`, `x = await context.op(...)`. */
function awaitsStartable(statement: Statement): boolean {
  let value: Node | undefined;
  if (Node.isExpressionStatement(statement)) {
    const e = statement.getExpression();
    value = Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken ? e.getRight() : e;
  } else if (Node.isVariableStatement(statement) && statement.getDeclarations().length === 1) value = statement.getDeclarations()[0].getInitializer();
  while (value && Node.isParenthesizedExpression(value)) value = value.getExpression();
  if (!value || !Node.isAwaitExpression(value)) return false;
  const call = asDurableCall(value.getExpression());
  return call !== undefined && STARTABLE.has(call.method);
}

function isStartedDeclaration(d: VariableDeclaration): boolean {
  let init: Node | undefined = d.getInitializer();
  while (init && Node.isParenthesizedExpression(init)) init = init.getExpression();
  const call = init ? asDurableCall(init) : undefined;
  return call !== undefined && STARTABLE.has(call.method);
}

/** `console.log(...)`, `context.logger.info(...)`: writes no local, starts nothing. */
function isLogLine(lo: Lowering, statement: Statement): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const e = statement.getExpression();
  if (!Node.isCallExpression(e) || asDurableCall(e)) return false;
  const callee = e.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return false;
  const owner = callee.getExpression();
  const isConsole = Node.isIdentifier(owner) && owner.getText() === "console" && owner.getSymbol()?.getDeclarations().every((d) => d.getSourceFile().isDeclarationFile());
  const isLogger = Node.isPropertyAccessExpression(owner) && owner.getName() === "logger" && lo.isContextReference(owner.getExpression());
  return Boolean(isConsole || isLogger) && renderCode(statement, lo.locals).writes.size === 0 && !e.getArguments().some((a) => a.getFirstDescendantByKind(SyntaxKind.CallExpression) || Node.isCallExpression(a));
}

function consumerOf(p: PendingOp): Node {
  return usesOf(p.declaration.getNameNode() as Identifier)[0];
}

/** The other references to a local, in its function. */
function usesOf(name: Identifier): Identifier[] {
  const symbol = name.getSymbol();
  const scope = name.getFirstAncestor((n) => Node.isBlock(n) && (Node.isFunctionLikeDeclaration(n.getParent()) || Node.isArrowFunction(n.getParent())));
  if (!symbol || !scope) return [];
  return scope.getDescendantsOfKind(SyntaxKind.Identifier).filter((i) => i !== name && i.getSymbol() === symbol);
}

/**
 * The use is `await a` or an element of an awaited combinator's array, in a statement of the
 * declaration's own list (or of a try block there, any depth), after the declaration.
 */
function consumedInPlace(use: Identifier, declaration: VariableDeclaration): boolean {
  let at: Node = use;
  const parent = at.getParent();
  if (Node.isArrayLiteralExpression(parent)) {
    const call = parent.getParent();
    if (!Node.isCallExpression(call) || !isCombinatorCall(call)) return false;
    at = call;
  }
  const home = declaration.getVariableStatement()?.getParent();
  // `return a` resolves the handler's promise with it, as `return await a` does, outside a try.
  if (Node.isReturnStatement(parent) && parent.getParent() === home) return parent.getPos() > declaration.getEnd();
  at = skipWrappers(at);
  if (!Node.isAwaitExpression(at)) return false;
  const statement = at.getFirstAncestor((n) => Node.isStatement(n) && !Node.isBlock(n)) as Statement | undefined;
  if (!statement || !isLoweredAwaitPosition(at, statement)) return false;
  let n: Node | undefined = statement.getParent();
  while (n && n !== home) {
    if (!Node.isBlock(n)) return false;
    const up = n.getParent();
    if (Node.isTryStatement(up) && up.getTryBlock() === n) n = up.getParent();
    else if (Node.isBlock(up)) n = up;
    else return false;
  }
  return n === home && statement.getPos() > declaration.getEnd();
}

function skipWrappers(node: Node): Node {
  let at = node.getParent()!;
  while (Node.isParenthesizedExpression(at)) at = at.getParent()!;
  return at;
}

/** The statement holds the await where the lowering takes it: alone, as an initializer, an assignment's right side, a return. */
function isLoweredAwaitPosition(awaitExpr: Node, statement: Statement): boolean {
  let up = awaitExpr.getParent()!;
  while (Node.isParenthesizedExpression(up)) up = up.getParent()!;
  if (up === statement) return Node.isExpressionStatement(up) || Node.isReturnStatement(up);
  if (Node.isVariableDeclaration(up)) return up.getVariableStatement() === statement;
  if (Node.isBinaryExpression(up)) return up.getParent() === statement;
  return false;
}

/** `context.promise.X([...])` or the global `Promise.X([...])`. */
export function isCombinatorCall(call: Node): boolean {
  const op = asDurableCall(call);
  return (op !== undefined && op.method.startsWith("promise.")) || nativeCombinator(call) !== undefined;
}

/** Native `Promise.all([...])` whose elements are durable operations (written there or started before). */
export function nativeCombinatorOfOperations(lo: Lowering, call: Node): DurableCall | undefined {
  const method = nativeCombinator(call);
  if (!method || !Node.isCallExpression(call)) return undefined;
  const [list] = call.getArguments();
  if (!list || !Node.isArrayLiteralExpression(list)) return undefined;
  const durable = (e: Expression) => asDurableCall(e) !== undefined || combinedCallback(lo, e) !== undefined || (Node.isIdentifier(e) && [...lo.pending.keys()].includes(lo.locals.resolve(e)!));
  if (!list.getElements().some(durable)) return undefined;
  const callee = call.getExpression();
  return { call, method: `Promise.${method}`, receiver: Node.isPropertyAccessExpression(callee) ? callee.getExpression() : callee };
}

/** Started operations never consumed (the function ended first). */
export function refuseUnconsumed(lo: Lowering): void {
  const [left] = lo.pending.values();
  if (left) fail(left.declaration, messages.D2S2007.startedNotConsumed({ name: left.declaration.getName() }));
}
