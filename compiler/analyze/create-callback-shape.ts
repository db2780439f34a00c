import { Node, SyntaxKind, type CallExpression, type Expression, type Identifier, type Statement } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { asDurableCall, isFunctionLike, nativeCombinator, type DurableCall } from "../parse/durable-calls.ts";
import type { Local, Locals } from "./locals.ts";

/**
 * What a `createCallback` declaration compiles to (docs/internals.md, "createCallback"). Step
 * Functions has no callback that exists on its own: a task token lives only while the
 * waitForTaskToken Task that awaits it runs. So the callback's Task runs at the `await` of its
 * promise, and everything that sees the id (code, one step that hands it on) runs inside that
 * Task, before it waits. That is faithful exactly when nothing durable happens between
 * createCallback and the await; otherwise an answer to an id handed on could arrive before its
 * token exists, and the callback goes through the relay (`relay`).
 */
export interface CreateCallbackShape {
  call: CallExpression;
  promise: Local;
  /** The callback id's binding, if the handler takes it. */
  id?: Identifier;
  /** The statements after the declaration that run inside the Task: from the first that reads the id on. */
  handOn: Statement[];
  /** The step that hands the id on, last of them. */
  step?: DurableCall;
  /** The id unused, and something durable runs before the await or the await may not run: the callback is created, then awaited later. */
  deferred: boolean;
  /**
   * Awaited by a promise combinator with others (`await Promise.all([p1, p2])`): its Task is a
   * branch of the combinator's Parallel state, so it is created where createCallback runs.
   */
  combined?: boolean;
  /**
   * The id is read and something durable runs before the await (or code reads it away from the
   * await): the id is ours, made where createCallback runs, and the callback relay
   * (runtime/fragments/relay.ts) holds an answer that comes before the Task at the await exists.
   */
  relay?: boolean;
}

type OperationOf = (e: Expression) => DurableCall | undefined;

/**
 * The shape of `const [promise, id] = await context.createCallback(...)` at `statements[at]`,
 * with the statements after it in its block; refuses (D2S2015) what cannot be faithful.
 * `durable(s)` says whether a statement does something durable or leaves the block.
 */
export function createCallbackShape(statements: Statement[], at: number, operationOf: OperationOf, durable: (s: Statement) => boolean, locals: Locals): CreateCallbackShape {
  const declStatement = statements[at]!;
  const call = createCallbackOf(declStatement, operationOf)!;
  const decl = declStatement.asKindOrThrow(SyntaxKind.VariableStatement).getDeclarations()[0]!;
  const pattern = decl.getNameNode();
  if (!Node.isArrayBindingPattern(pattern)) return fail(pattern, messages.D2S2015.notDestructured());
  const elements = pattern.getElements();
  const names = elements.map((e) => (Node.isBindingElement(e) && Node.isIdentifier(e.getNameNode()) && !e.getInitializer() && !e.getDotDotDotToken() ? (e.getNameNode() as Identifier) : undefined));
  const [promiseName, idName] = names;
  if (elements.length > 2 || !promiseName || (elements.length === 2 && !idName)) return fail(pattern, messages.D2S2015.notDestructured());
  const { awaited: awaitRef, combined } = theAwait(promiseName, declStatement);
  const awaitAt = statements.findIndex((s, i) => i > at && s.getPos() <= awaitRef.getPos() && awaitRef.getEnd() <= s.getEnd());
  const between = statements.slice(at + 1, awaitAt);
  const idRefs = idName ? idName.findReferencesAsNodes().filter((r) => r !== idName) : [];
  const reads = (s: Node) => idRefs.some((r) => s.getPos() <= r.getPos() && r.getEnd() <= s.getEnd());
  // The first durable thing after the declaration: the step that hands the id on, or something
  // that makes this a callback awaited later.
  const firstDurable = between.findIndex(durable);
  // Combined with other promises, its Task waits beside theirs in a Parallel branch: no code can run
  // inside it, so an id read anywhere is ours, made where createCallback runs (the relay).
  if (combined) {
    const promise = locals.resolve(promiseName)!;
    return idRefs.length === 0 ? { call, promise, handOn: [], deferred: true, combined } : { call, promise, id: idName, handOn: [], deferred: true, relay: true, combined };
  }
  // Nothing reads the id: nothing can answer before the await, whatever runs in between. An
  // await inside another statement (an if, a try) may not run at all: the marker state then
  // still records the callback, as the SDK does.
  if (idRefs.length === 0) {
    const deferred = firstDurable >= 0 || !topLevelAwait(awaitRef, statements[awaitAt]!);
    return { call, promise: locals.resolve(promiseName)!, handOn: [], deferred };
  }
  // The id must exist before the Task at the await does: it is ours, and the relay holds an early answer.
  const relayed: CreateCallbackShape = { call, promise: locals.resolve(promiseName)!, id: idName, handOn: [], deferred: true, relay: true };
  const stepAt = firstDurable >= 0 && isStepStatement(between[firstDurable]!, operationOf) ? firstDurable : -1;
  // Something durable happens between the step that hands the id on and the await.
  if (firstDurable >= 0 && (stepAt < 0 || stepAt !== between.length - 1)) return relayed;
  const firstRead = between.findIndex((s, i) => reads(s) || i === stepAt);
  const handOn = firstRead < 0 ? [] : between.slice(firstRead);
  // A task token exists only inside the Task: code after the await, or before the Task, reads the relay's id.
  if (idRefs.some((r) => !handOn.some((s) => s.getPos() <= r.getPos() && r.getEnd() <= s.getEnd()))) return relayed;
  // Code inside the Task runs right before it waits: an await elsewhere needs the relay's id too.
  if (handOn.length > 0 && !topLevelAwait(awaitRef, statements[awaitAt]!)) return relayed;
  // A const that code declares there would end with the Task; with the relay it is code before it.
  if (handOn.some((s) => declaredNames(s).some((n) => n.findReferencesAsNodes().some((r) => r.getPos() >= statements[awaitAt]!.getPos())))) return relayed;
  const step = stepAt >= 0 ? operationOf((between[stepAt] as Statement & { getExpression(): Expression }).getExpression()) : undefined;
  return { call, promise: locals.resolve(promiseName)!, id: idName, handOn, step, deferred: false };
}

/**
 * The one `await promise` of a callback's promise: in this function, not in a loop around it,
 * awaited once, alone or as an element of an awaited `all` / `allSettled` (`combined`).
 */
function theAwait(promise: Identifier, declStatement: Statement): { awaited: Node; combined: boolean } {
  const refs = promise.findReferencesAsNodes().filter((r) => r !== promise);
  if (refs.length === 0) return fail(promise, messages.D2S2015.neverAwaited());
  if (refs.length > 1) return fail(refs[1]!, messages.D2S2015.promiseUsedElsewhere());
  const ref = refs[0]!;
  let e: Node = ref;
  while (Node.isParenthesizedExpression(e.getParent())) e = e.getParent()!;
  let awaited = e.getParent();
  const combinator = Node.isArrayLiteralExpression(awaited) ? combinatorOf(awaited) : undefined;
  // `Promise.all([p1, p2])`: a Parallel state whose branches are the callbacks' Tasks settles them together, as the SDK does.
  if (combinator) awaited = combinator.getParent();
  else if (Node.isArrayLiteralExpression(awaited) && Node.isCallExpression(awaited.getParent())) return fail(ref, messages.D2S2015.combined());
  let statement = awaited?.getParent();
  while (statement && !Node.isStatement(statement)) statement = statement.getParent();
  if (!awaited || !Node.isAwaitExpression(awaited) || !statement || !topLevelAwait(awaited, statement as Statement)) return fail(ref, messages.D2S2015.promiseUsedElsewhere());
  const declScope = declStatement.getParent();
  for (let n = ref.getParent(); n && n !== declScope; n = n.getParent()) {
    if (isFunctionLike(n) || Node.isIterationStatement(n)) return fail(ref, messages.D2S2015.awaitInLoop());
  }
  return { awaited, combined: combinator !== undefined };
}

/** The `Promise.all` / `allSettled` / `any` / `race` (global or `context.promise.*`) call whose array argument `list` is. */
function combinatorOf(list: Node): CallExpression | undefined {
  const call = list.getParent();
  if (!Node.isCallExpression(call) || !call.getArguments().includes(list as Expression)) return undefined;
  const method = nativeCombinator(call) ?? asDurableCall(call)?.method.replace(/^promise\./, "");
  return method && ["all", "allSettled", "any", "race"].includes(method) ? call : undefined;
}

/** Is the await the statement's own value: `const x = await p`, `x = await p`, `await p`, `return await p`? */
function topLevelAwait(awaited: Node, statement: Statement): boolean {
  let e: Node | undefined = awaited;
  while (e && Node.isParenthesizedExpression(e.getParent())) e = e.getParent();
  const parent = e?.getParent();
  if (parent === statement) return Node.isExpressionStatement(statement) || Node.isReturnStatement(statement);
  if (Node.isVariableDeclaration(parent)) return parent.getParent()?.getParent() === statement && statement.asKindOrThrow(SyntaxKind.VariableStatement).getDeclarations().length === 1;
  return Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken && parent.getParent() === statement;
}

function declaredNames(statement: Statement): Identifier[] {
  if (!Node.isVariableStatement(statement)) return [];
  return statement.getDeclarations().flatMap((d) => d.getNameNode().getDescendantsOfKind(SyntaxKind.Identifier).concat(Node.isIdentifier(d.getNameNode()) ? [d.getNameNode() as Identifier] : []));
}

function isStepStatement(statement: Statement, operationOf: OperationOf): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const e = statement.getExpression();
  return Node.isAwaitExpression(e) && operationOf(e)?.method === "step";
}

/** `const [promise, id] = await context.createCallback(...)`: the call, when the statement is that. */
export function createCallbackOf(statement: Statement, operationOf: OperationOf): CallExpression | undefined {
  if (!Node.isVariableStatement(statement)) return undefined;
  const [decl, ...more] = statement.getDeclarations();
  const init = decl?.getInitializer();
  const awaited = init ? operationOf(init) : undefined;
  if (more.length > 0 || awaited?.method !== "createCallback") return undefined;
  return awaited.call;
}
