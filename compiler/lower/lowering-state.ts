import type { ArrowFunction, CallExpression, Expression, FunctionDeclaration, FunctionExpression, Node, Statement } from "ts-morph";
import type { DurableCall } from "../parse/durable-calls.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";
import type { Block, Cfg, ChildContext, Terminator, TryHandler, ValueExpr } from "./cfg.ts";

/**
 * What the statement lowerings (statements.ts and one file per statement kind) see of the
 * lowering of one function body. They call back into it (a loop body is statements again), so
 * they know it by this interface; lowering.ts implements it. The files then import each other
 * one way only: lowering.ts -> statements.ts -> the statement kinds -> this file.
 */

export type HelperFunction = FunctionDeclaration | ArrowFunction | FunctionExpression;
export type BranchFunction = ArrowFunction | FunctionExpression;
export type Awaited = { kind: "operation"; call: DurableCall } | { kind: "helper"; call: CallExpression; fn: HelperFunction };

/** Numbers that must be unique across the handler and every map or parallel branch in it. */
export interface Counters {
  child: number;
  condition: number;
}

/** A break and continue target in force (jumps.ts). */
export interface JumpScope {
  labels: string[];
  breakTarget: Block;
  continueTarget?: Block;
  /** How many finally scopes enclose the jump target; jumps run the finally bodies above it. */
  finallyDepth: number;
}

/** Where the `return` of an inlined helper goes (jumps.ts). */
export interface ReturnScope {
  result: Local;
  exit: Block;
  finallyDepth: number;
  /** A child context's result is checkpointed as JSON by the SDK: it comes back through JSON. */
  throughJson: boolean;
}

/** A finally body that a jump or return leaving its try runs (jumps.ts, try.ts). */
export interface FinallyScope {
  statements: Statement[];
  /** The handler in force around the try statement; its finally body runs under it. */
  outer?: TryHandler;
}

export interface Lowering {
  readonly blocks: Block[];
  /** The open block code is appended to. */
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
  readonly fn: BranchFunction;
  readonly locals: Locals;
  readonly counters: Counters;

  /** A lowering of another function, numbering its contexts and conditions with this one. */
  fork(fn: BranchFunction): Lowering;
  /** A map function or parallel branch, lowered as a graph of its own that runs in `context`. */
  buildBranch(context: ChildContext, kind: "map" | "parallel"): Cfg;
  /** One element of `promise.all([...])`: the operation alone, its result returned. */
  buildOperationBranch(call: DurableCall, context: ChildContext | undefined): Cfg;

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

  synthetic(text: string, reads?: Local[], writes?: Local[], declares?: Local[]): CodePiece;
  checked<T extends Node>(node: T, where: string): T;
  checkedValue(node: Expression, where: string): ValueExpr;
  /** A literal name as it is, `undefined` as none, a computed one as a value. */
  operationName(arg: Expression | undefined): ValueExpr | string | null;
  isContextReference(node: Node): boolean;
}
