import type { Node } from "ts-morph";
import type { Block, Cfg, ChildContext, DurableOp, ValueExpr } from "../lower/cfg.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";
import type { AslState, Catcher, FragmentTaskState } from "./asl-types.ts";
import type { ErrorKind } from "./error-records.ts";
import type { StateNamer } from "./names.ts";

/**
 * What an operation emitter sees and gives back: one durable operation at one place in the graph
 * (an OperationSite) in, its states out. This module is the only part of the transform the
 * emitters (step.ts, wait.ts, invoke.ts, ...) share with the builder (states.ts); they never
 * import the builder, which reaches them through the table in emitters.ts.
 */

export interface FragmentSource {
  id: string;
  /** The body of `async ($v, $d) => { ... }`. */
  body: string;
}

/** A fragment as the Task that runs it needs it: the locals it is handed in `vars`. */
export type Fragment = FragmentSource & { carried: Local[] };

export interface SourceMapEntry {
  file: string;
  line: number;
  column: number;
  fragment?: string;
  /** Present on states that are durable operations: what `verify` compares. */
  operation?: { kind: Exclude<DurableOp["kind"], "promise"> | "childContext"; name: string | null; nameFrom?: "payload" | "input" };
  /** The innermost child context (its id) this operation runs in. */
  context?: number;
  /** On the marker state of a child context: its id and the id of the context around it. */
  childContext?: { id: number; parent?: number };
  /** On the state that wraps an error leaving a child context. */
  failedContext?: number;
  /** On the Parallel state of promise.all / allSettled: its branches' operations belong to the caller's context. */
  siblings?: boolean;
  /** On the Task of a createCallback: the step in it that hands the callback id on. */
  handsOnTo?: { name: string | null };
  /** On the marker state of a createCallback awaited later: the key its later states name. */
  callbackKey?: string;
  /** On the states of such a callback at its await: the callback (its marker's key); `timedOut` when the state times it out. */
  callbackOf?: { key: string; timedOut?: boolean };
  /** On the Task of a callback through the relay: its Lambda call registers the token with the relay (template.yaml adds the relay's table). */
  relay?: boolean;
  /** On an invoke Task whose function an environment variable names: the variable and the `${parameter}` its FunctionName holds. */
  environment?: { variable: string; parameter: string };
  /** On the check Task of a waitForCondition: the state that starts the operation. */
  pollOf?: string;
  /** On the first state of a child context whose marker state the optimizer folded into it (optimize/fold-marker.ts): the marker's entry. */
  opens?: SourceMapEntry;
}

export interface StateGraph {
  startAt: string;
  states: Record<string, AslState>;
  fragments: FragmentSource[];
  sourceMap: Record<string, SourceMapEntry>;
  /** The custom serdes expressions the fragments make again, by key (serdes.ts). */
  serdes?: Record<string, string>;
}

/**
 * A map function or parallel branch: its graph ends in a Succeed whose Output is
 * `{status: "SUCCEEDED", result}`, or, for an error nothing in it catches, in a Pass whose Output
 * is `{status: "FAILED", error}`: the item never fails the Map state, as under the SDK.
 */
export interface BranchMode {
  /** A map item or parallel branch starts with a marker state for its child context; an element of promise.all has none. */
  marker?: {
    context: ChildContext;
    name: string;
    /** map: the item's name comes from the state input (itemNamer or map-item-i). */
    nameFromInput: boolean;
    /** The item's outcome says when it ended: the batch can complete early, and its BatchResult then depends on the order items ended. */
    ended: boolean;
  };
  /** Where the branch's own failure state takes its name from. */
  label: string;
  /** An element of promise.all that says when it ended: the first to fail in time decides the rejection (concurrency.ts). */
  ended?: boolean;
}

/**
 * Where an error raised at a site goes: the ASL Variable that takes its record, and the state
 * that handles it (the try handler's entry, or the graph's uncaught-error state). `next()`
 * reserves that state on first use, so call it only where a state needs it: when it is first
 * reserved decides state names and order in the definition.
 */
export interface ErrorRoute {
  record: string;
  next(): string;
  /** True when a try handler catches here; false when the error is uncaught (ends the execution or the branch). */
  caught: boolean;
}

/**
 * The states an emitter writes, in definition order, and their source-map entries. Writes go
 * straight into the graph, because the error route may add the uncaught-error state midway and
 * the definition keeps the order in which states were made.
 */
export interface EmittedStates {
  put(name: string, state: AslState): void;
  /** The source-map entry of a state; `block` adds the child context of an operation's state. */
  locate(name: string, node: Node, extra?: Partial<SourceMapEntry>, block?: Block): void;
}

/** What the code before the operation computed for it (its Task hands these on in the state input). */
export interface Computed {
  /** A wait's duration, as `seconds`. */
  seconds?: boolean;
  /** The operation's name, as `name`. */
  name?: boolean;
  /** An invoke's input, as `payload`. */
  payload?: boolean;
  /** An invoke's function, chosen at run time, as `functionName`. */
  functionName?: boolean;
  /** map / parallel items and completion as JSONata the state evaluates itself (`{"items", "completion"}`: batch-inputs.ts). */
  batchInState?: string;
}

/** The operation of that kind (or kinds). */
export type OpOf<K extends DurableOp["kind"]> = Extract<DurableOp, { kind: K }>;

export interface OperationSite<O extends DurableOp = DurableOp> {
  op: O;
  block: Block;
  /** The name reserved for the operation's first state. */
  name: string;
  /** The local the operation's result goes to. */
  target?: Local;
  /** The state after the operation (named when read). */
  readonly next: string;
  /**
   * A step whose result the graph returns right after it (tail-return.ts): its Task may end the
   * graph, its Output `output` of the returned value's JSONata (the Succeed's Output); the
   * fragment gives a marker's value `as` a branch's result (JSON) or the execution's (`result`).
   */
  returns?: { output: (value: string) => string; as: "json" | "result" };
  /** The locals live after the block (computed once, before the transform). */
  liveAfter: ReadonlySet<Local>;
  /** The block's code runs in the operation's own Task (step and waitForCallback only). */
  merged: boolean;
  computed: Computed;
  /** The operation's source-map entry (what `verify` compares); an emitter may add `nameFrom`. Unused for promise.all. */
  entry: Partial<SourceMapEntry>;
  route: ErrorRoute;
  namer: StateNamer;
  locals: Locals;
  out: EmittedStates;
  tools: EmitTools;
}

/** The builder's services an emitter may use, bound to the site's graph and block. */
export interface EmitTools {
  comment(node: Node): string;
  /** The exact JSONata of a value, or undefined when only code computes it exactly. */
  jsonata(value: ValueExpr): string | undefined;
  /** The exact JSONata of a computed operation name, `String(value)`, or undefined when only code computes it exactly. */
  name(value: ValueExpr): string | undefined;
  /** The seconds of a wait's computed duration as JSONata where exact with no guard (a guarded one comes as `$states.input.seconds`). */
  seconds(op: DurableOp): string | undefined;
  /** Locals the block's code may change. */
  written(block: Block): Set<Local>;
  /** A fragment of the machine's Lambda: `code` as statements, then `return $d.done(written, tail)`. */
  fragment(id: string, code: CodePiece[], alsoRead: CodePiece[], written: Local[], tail: string): Fragment;
  /** The Task running a fragment; its Catch follows the site's error route. */
  task(fragment: Fragment, written: Local[], next: string, at: Node, kind: "step" | "codeThenStep" | "callback"): FragmentTaskState;
  /** A Catch storing the error record of a failed state of this kind on the site's route. */
  catcher(kind: ErrorKind): Catcher;
  /** Registers a custom serdes expression (module-level names only) for the fragments under `key`. */
  serdes(key: string, text: string): void;
  /** A map iteration, parallel branch or promise element: a graph of its own, sharing names, fragments and source map. */
  subgraph(cfg: Cfg, mode: BranchMode): StateGraph;
}

export type OperationEmitter<O extends DurableOp = DurableOp> = (site: OperationSite<O>) => void;

/** One emitter per kind of durable operation (emitters.ts). */
export type EmitterTable = { [K in DurableOp["kind"]]: OperationEmitter<OpOf<K>> };
