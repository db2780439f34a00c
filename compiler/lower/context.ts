import type { PendingCallback, PendingOp } from "./pending-types.ts";
import type { ArrowFunction, CallExpression, Expression, FunctionDeclaration, FunctionExpression, Node, Statement } from "ts-morph";
import type { DurableCall } from "../parse/durable-calls.ts";
import type { TableCall } from "../parse/function-tables.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";
import type { Block, Cfg, ChildContext, Terminator, TryHandler, ValueExpr } from "./cfg.ts";

/**
 * What every statement lowering sees of the lowering in progress (lowering.ts implements it).
 * The statement files take this interface, never the class, so that the dispatcher
 * (statements.ts) and the files it dispatches to do not import each other: the recursion goes
 * through `statements`, `statement` and `emitAwaited` at run time, not through imports.
 */

export type HelperFunction = FunctionDeclaration | ArrowFunction | FunctionExpression;
/** A map function or parallel branch: written inline, or an async function of this file named there. */
export type BranchFunction = ArrowFunction | FunctionExpression | FunctionDeclaration;
export type Awaited =
  | { kind: "operation"; call: DurableCall }
  | { kind: "helper"; call: CallExpression; fn: HelperFunction }
  | { kind: "callback"; callback: PendingCallback; stage?: "create" }
  /** `tools[name](context, ...)`: a function of a table, the key known only at run time (parse/function-tables.ts). */
  | { kind: "table"; call: CallExpression; table: Extract<TableCall, { kind: "runtime" }> };

/** Numbers that must be unique across the handler and every map or parallel branch in it. */
export interface Counters {
  child: number;
  condition: number;
  /** Context scopes (Local.contextScope); 0 is the handler's own context. */
  scope: number;
}

/** The leap manager's scopes (jumps.ts): where break, continue and return go. */
export interface JumpScope {
  labels: string[];
  breakTarget: Block;
  continueTarget?: Block;
  /** How many finally scopes enclose the jump target; jumps run the finally bodies above it. */
  finallyDepth: number;
}

export interface ReturnScope {
  result: Local;
  exit: Block;
  finallyDepth: number;
  /** A child context's result is checkpointed as JSON by the SDK: it comes back through JSON. */
  throughJson: boolean;
}

export interface FinallyScope {
  statements: Statement[];
  /** The handler in force around the try statement; its finally body runs under it. */
  outer?: TryHandler;
}

export interface Lowering {
  readonly fn: BranchFunction;
  /** The lowering of the enclosing ASL scope, for a map function or parallel branch. */
  readonly parent?: Lowering;
  /** The helpers inlined into this ASL scope: their locals are this scope's (Locals.inScope). */
  readonly helpers: Set<HelperFunction>;
  readonly locals: Locals;
  readonly counters: Counters;
  /** The context operations may be called on here (Local.contextScope). */
  contextScope: number;
  readonly blocks: Block[];
  cur: Block;
  tryHandler?: TryHandler;
  /** The break and continue targets in force, innermost last (jumps.ts). */
  jumps: JumpScope[];
  /** The finally bodies a jump or return leaves run, innermost last. */
  finallies: FinallyScope[];
  tryCount: number;
  /** Inlined helpers being lowered, innermost last: where their `return` goes. */
  readonly returns: ReturnScope[];
  readonly inlining: HelperFunction[];
  childContext?: ChildContext;
  /** One error record per catch clause or finally block (try.ts). */
  readonly records: Map<Node, Local>;
  /** Operations created and not yet awaited or combined, in creation order (pending.ts). */
  readonly pending: Map<Local, PendingOp>;

  /** A lowering of another function, numbering its contexts and conditions with this one. */
  fork(fn: BranchFunction): Lowering;
  buildBranch(context: ChildContext, kind: "map" | "parallel", mapper?: BranchFunction): Cfg;
  buildOperationBranch(call: DurableCall, context: ChildContext | undefined): Cfg;
  buildCallbackBranch(callback: PendingCallback, context: ChildContext | undefined): Cfg;

  statements(statements: Statement[]): void;
  statement(statement: Statement, labels: string[]): void;
  /** `declareAs` says how a fresh target is declared when a helper's code (not an ASL Assign) sets it. */
  emitAwaited(awaited: Awaited, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void;

  /** A new block under the current try handler, or under `under.handler` (which may be none) when given. */
  newBlock(origin: Node, under?: { handler: TryHandler | undefined }): Block;
  /** Ends the current block; code after a jump is unreachable and lands in a fresh block. */
  seal(term: Terminator, origin?: Node): void;
  goto(target: Block): void;
  startAt(block: Block): void;

  synthetic(text: string, reads?: Local[], writes?: Local[], declares?: Local[], embeds?: CodePiece): CodePiece;
  checked<T extends Node>(node: T, where: string): T;
  checkedValue(node: Expression, where: string): ValueExpr;
  /** A literal name as it is, `undefined` as none, a computed one as a value. */
  operationName(arg: Expression | undefined): ValueExpr | string | null;
  isContextReference(node: Node): boolean;
}
