import type { CallExpression, Expression, Node } from "ts-morph";
import type { Local } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";

/**
 * The handler as a control-flow graph of basic blocks. A block is a run of plain code (which
 * will run inside one fragment) ended by a terminator: a durable operation, a branch, a return...
 * This is the regenerator model: only statements that contain a durable operation or a jump
 * out of themselves are exploded into blocks; all other code stays as written.
 */
export interface Block {
  id: number;
  code: CodePiece[];
  term: Terminator;
  /** Where an error raised in this block goes: the catch (or finally) of the innermost try. */
  handler?: TryHandler;
  /** The source this block starts at, for names and the source map. */
  origin: Node;
  /** The innermost `runInChildContext` the block belongs to. */
  context?: ChildContext;
}

export interface TryHandler {
  entry: Block;
  /** The ASL Variable that receives the error record. */
  record: Local;
}

/** A value the compiler reads in a terminator: evaluated in the block's fragment, or as JSONata when exact. */
export interface ValueExpr {
  node: Expression;
  piece: CodePiece;
  /** A JSONata form the compiler made itself, known to be exact. */
  jsonata?: string;
  /** The piece is not the node's own value (a temporary stands for it): never translate the node. */
  opaque?: boolean;
}

export type Terminator =
  | { kind: "open" }
  | { kind: "goto"; target: Block }
  | { kind: "branch"; cond: ValueExpr; then: Block; else: Block; what: "if" | "loop" | "condition" }
  | { kind: "switch"; discriminant: ValueExpr; cases: ValueExpr[]; targets: Block[]; otherwise: Block }
  | { kind: "op"; op: DurableOp; target?: Local; next: Block }
  | { kind: "return"; value?: ValueExpr }
  | { kind: "rethrow"; record: Local }
  /** Start of a `runInChildContext`: a marker state, so the execution history shows the context. */
  | { kind: "enter"; context: ChildContext; next: Block }
  /** An error left a child context: wrap it as the SDK does (ChildContextError) and throw it on. */
  | { kind: "wrapChild"; context: ChildContext; record: Local };

export interface ChildContext {
  id: number;
  name: string | null;
  /** runInChildContext's name when only the run knows it: the code before the marker computes it (name is then null). */
  computedName?: ValueExpr;
  call: CallExpression;
  /** The enclosing child context, if any. */
  parent?: ChildContext;
}

export type DurableOp = StepOp | WaitOp | CallbackOp | ConditionOp | InvokeOp | BatchOp | CreateCallbackOp | CombinatorOp;

/**
 * `context.promise.all` / `allSettled` over an array literal of operations: a Parallel state, one
 * branch per operation (whose records are siblings in the trace, as under the SDK), then a marker
 * for the combinator's own child context.
 */
export type Combinator = "all" | "allSettled" | "any" | "race";

export interface CombinatorOp extends OpBase {
  kind: "promise";
  combinator: Combinator;
  /** The global `Promise.all` (no child context of its own; a failure is the operation's own error). */
  native: boolean;
  /**
   * For each array element, the branch that runs it, or the local holding the outcome of an
   * operation an earlier combinator ran. Branches run in creation order (pending.ts).
   */
  outcomes: ({ branch: number } | { stored: Local })[];
  /** Started operations this combinator runs but does not take: their outcomes are kept for later. */
  stores: { local: Local; branch: number }[];
  branches: Cfg[];
  /** The combinator's child context (its record in the trace). */
  context: ChildContext;
  /** What its states are named after, when not the combinator (batch.ts, settleStarted). */
  label?: string;
  /** Some branches wait for createCallback promises: the elements settle in an order only the run knows. */
  callbacks?: boolean;
}

/**
 * `const [promise, id] = await context.createCallback(name, config)` up to `await promise`: one
 * waitForTaskToken Task, at the await, whose fragment runs the code that reads the id and the
 * step that hands it on, the task token being the id (analyze/create-callback-shape.ts).
 */
export interface CreateCallbackOp extends OpBase {
  kind: "createCallback";
  config?: ValueExpr;
  /** The callback id local, if the handler takes it: the task token inside the Task. */
  callbackId?: Local;
  /** The code between createCallback and the step (or the await) that runs inside the Task. */
  handOn: CodePiece[];
  step?: StepOp;
  /**
   * A callback awaited after other durable operations: the ASL Variable holding the time it was
   * created (milliseconds), set by its marker state (`stage: "create"`, where createCallback
   * runs) and read by its Task (at the await), whose timeouts still count from creation.
   */
  created?: Local;
  /** The callback goes through the relay: the id local, made by the marker (`$uuid()`), which the Task at the await registers. */
  relayId?: Local;
  stage?: "create";
}

/**
 * `map(name, items, fn, config)` / `parallel(name, branches, config)`: a Map or Parallel state
 * whose iterations or branches are graphs of their own (docs/internals.md, "map and parallel").
 */
export interface BatchOp extends OpBase {
  kind: "map" | "parallel";
  /** map: the items. */
  items?: ValueExpr;
  /** The config object, evaluated by code (completion thresholds, itemNamer). */
  config?: ValueExpr;
  /** A literal maxConcurrency, which becomes the state's MaxConcurrency. */
  maxConcurrency?: number;
  branches: Branch[];
}

/** One map function (run per item) or one parallel branch, lowered on its own. */
export interface Branch {
  cfg: Cfg;
  /** The child context each iteration or branch runs in: the trace's record for it. */
  context: ChildContext;
}

/** `invoke(name, functionId, input)`: a Task calling another Lambda function. */
export interface InvokeOp extends OpBase {
  kind: "invoke";
  functionId: ValueExpr;
  input?: ValueExpr;
}

interface OpBase {
  call: CallExpression;
  /** Literal name, or a name computed from locals. */
  name: ValueExpr | string | null;
}
export interface StepOp extends OpBase {
  kind: "step";
  body: ValueExpr;
  config?: ValueExpr;
}
export interface WaitOp extends OpBase {
  kind: "wait";
  duration: ValueExpr;
}
export interface CallbackOp extends OpBase {
  kind: "waitForCallback";
  submitter: ValueExpr;
  config?: ValueExpr;
}

/** `waitForCondition(name, check, { waitStrategy, initialState })`: a check / Choice / Wait loop. */
export interface ConditionOp extends OpBase {
  kind: "waitForCondition";
  check: ValueExpr;
  config: ValueExpr;
  /** Holds the state between checks, and the number of checks made. */
  state: Local;
  attempt: Local;
}

export interface Cfg {
  entry: Block;
  blocks: Block[];
  /** The handler's event; for a map function, its item and index. */
  params: { event?: Local; item?: Local; index?: Local };
  /** The ASL scope of a map function or parallel branch: its helpers' locals are its own (Locals.inScope). */
  scope?: object;
}
