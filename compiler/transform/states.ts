import path from "node:path";
import { Node, type Expression, type Type } from "ts-morph";
import type { BatchOp, Block, Branch, Cfg, ChildContext, CombinatorOp, CreateCallbackOp, DurableOp, TryHandler, ValueExpr } from "../analyze/cfg.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import { computeLiveness, terminatorReads, type Liveness } from "../analyze/liveness.ts";
import { isPrimitiveType, type CodePiece } from "../analyze/render.ts";
import { fail } from "../diagnostics.ts";
import { assignmentsOf } from "./assign.ts";
import { expression, toJsonata } from "./jsonata.ts";
import { StateNamer } from "./names.ts";
import { literalDuration, literalDurationSeconds, nativeRetrier, retrierFor, STEP_ATTEMPT_FAILED } from "./retry.ts";

export type AslState = Record<string, unknown>;

export interface FragmentSource {
  id: string;
  /** The body of `async ($v, $d) => { ... }`. */
  body: string;
}

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
  /** On the check Task of a waitForCondition: the state that starts the operation. */
  pollOf?: string;
}

export interface StateGraph {
  startAt: string;
  states: Record<string, AslState>;
  fragments: FragmentSource[];
  sourceMap: Record<string, SourceMapEntry>;
}

export const FRAGMENTS_FUNCTION = "${FragmentsFunctionArn}";
const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
const LAMBDA_INVOKE_WAIT = "arn:aws:states:::lambda:invoke.waitForTaskToken";
/** Transient Lambda service errors, retried as the AWS docs recommend for Lambda tasks. */
const SERVICE_RETRIER = {
  ErrorEquals: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
};
const UNCAUGHT = "uncaught";
/**
 * A callback's answer as the handler gets it: the SDK hands over the raw string, so a JSON string
 * answer is taken as that string; an empty answer is no answer, `undefined` (the undefined marker).
 */
const CALLBACK_ANSWER = '$states.result = "" ? {"__undefined__": true} : $type($states.result) = "string" ? $states.result : $string($states.result)';
/** The key of the value a Map or Parallel state leaves for fragments to read as a BatchResult. */
const BATCH_MARKER = "__d2s_batch";
/** The key of the value promise.all / allSettled leaves for fragments to read (runtime/fragments/values.ts). */
const PROMISE_MARKER = "__d2s_promise";

/** Turns the control-flow graph into ASL states and the fragments they invoke. */
export function buildStates(cfg: Cfg, locals: Locals, file: string): StateGraph {
  return new StateBuilder(cfg, locals, file, { namer: new StateNamer(), fragments: [], sourceMap: {} }).build();
}

/** What the graphs of one machine (the handler, and each map function or parallel branch) share: names are unique machine-wide. */
interface Shared {
  namer: StateNamer;
  fragments: FragmentSource[];
  sourceMap: Record<string, SourceMapEntry>;
}

/**
 * A map function or parallel branch: its graph ends in a Succeed whose Output is
 * `{status: "SUCCEEDED", result}`, or, for an error nothing in it catches, in a Pass whose Output
 * is `{status: "FAILED", error}`: the item never fails the Map state, as under the SDK.
 */
interface BranchMode {
  /** A map item or parallel branch starts with a marker state for its child context; an element of promise.all has none. */
  marker?: {
    context: ChildContext;
    name: string;
    /** map: the item's name comes from the state input (itemNamer or map-item-i). */
    nameFromInput: boolean;
  };
  /** Where the branch's own failure state takes its name from. */
  label: string;
}

class StateBuilder {
  private readonly states = new Map<string, AslState>();
  private readonly sourceMap: Record<string, SourceMapEntry>;
  private readonly fragments: FragmentSource[];
  private readonly namer: StateNamer;
  private readonly entries = new Map<Block, string>();
  private readonly liveness: Liveness;
  private readonly pending: Block[] = [];
  private uncaughtState?: string;
  /** The ASL Variable that receives an error no catch block handles (each branch has its own: no shadowing in ASL). */
  private readonly uncaughtVar: string;

  constructor(
    private readonly cfg: Cfg,
    private readonly locals: Locals,
    private readonly file: string,
    shared: Shared,
    private readonly branch?: BranchMode,
  ) {
    this.liveness = computeLiveness(cfg);
    ({ namer: this.namer, fragments: this.fragments, sourceMap: this.sourceMap } = shared);
    this.uncaughtVar = branch ? locals.temporary("itemError").id : UNCAUGHT;
  }

  build(): StateGraph {
    if (this.branch?.marker) return this.buildBranch(this.branch.marker);
    if (this.branch) {
      const startAt = this.entryOf(this.cfg.entry);
      while (this.pending.length > 0) this.emitBlock(this.pending.shift()!);
      return { startAt, states: Object.fromEntries(this.states), fragments: this.fragments, sourceMap: this.sourceMap };
    }
    let startAt = this.entryOf(this.cfg.entry);
    const event = this.cfg.params.event;
    if (event && this.liveness.liveIn.get(this.cfg.entry)!.has(event)) {
      // The event becomes an ASL Variable once, at the start, like the handler's parameter.
      const start = this.namer.name("Start");
      this.states.set(start, { Type: "Pass", Assign: { [event.id]: expression("$states.input") }, Next: startAt });
      this.reorderFirst(start);
      startAt = start;
    }
    while (this.pending.length > 0) this.emitBlock(this.pending.shift()!);
    return { startAt, states: Object.fromEntries(this.states), fragments: this.fragments, sourceMap: this.sourceMap };
  }

  /** A branch starts with a marker state, which names its context in the history and takes in the item. */
  private buildBranch(branch: NonNullable<BranchMode["marker"]>): StateGraph {
    const body = this.entryOf(this.cfg.entry);
    const start = this.namer.name(branch.name);
    const assign: Record<string, string> = {};
    const { item, index } = this.cfg.params;
    const live = this.liveness.liveIn.get(this.cfg.entry)!;
    if (item && live.has(item)) assign[item.id] = expression("$states.input.value");
    if (index && live.has(index)) assign[index.id] = expression("$states.input.index");
    const marker: AslState = { Type: "Pass", Comment: `${this.comment(branch.context.call)} ${branch.nameFromInput ? "map item" : "parallel branch"}` };
    if (Object.keys(assign).length > 0) marker.Assign = assign;
    marker.Next = body;
    this.states.set(start, marker);
    this.reorderFirst(start);
    const name = branch.nameFromInput ? null : branch.context.name;
    const operation = { kind: "childContext" as const, name, ...(branch.nameFromInput ? { nameFrom: "input" as const } : {}) };
    this.locate(start, branch.context.call, { operation, childContext: { id: branch.context.id } });
    while (this.pending.length > 0) this.emitBlock(this.pending.shift()!);
    return { startAt: start, states: Object.fromEntries(this.states), fragments: this.fragments, sourceMap: this.sourceMap };
  }

  private reorderFirst(name: string): void {
    const entries = [...this.states.entries()];
    const first = entries.find(([n]) => n === name)!;
    this.states.clear();
    this.states.set(first[0], first[1]);
    for (const [n, s] of entries) if (n !== name) this.states.set(n, s);
  }

  // ---- naming and entry points ---------------------------------------------------------------

  /** The name of the first state of a block, reserving it now so that edges can point at it. */
  private entryOf(block: Block): string {
    const seen = new Set<Block>();
    // An empty block that only jumps on has no state of its own.
    while (block.code.length === 0 && block.term.kind === "goto" && !seen.has(block)) {
      seen.add(block);
      block = block.term.target;
    }
    const existing = this.entries.get(block);
    if (existing) return existing;
    const name = this.namer.name(this.baseName(block));
    this.entries.set(block, name);
    this.states.set(name, {}); // placeholder keeps the order of first reference
    this.pending.push(block);
    return name;
  }

  private line(node: Node): number {
    return node.getSourceFile().getLineAndColumnAtPos(node.getStart()).line;
  }

  private baseName(block: Block): string {
    const t = block.term;
    const line = this.line(block.origin);
    if (block.code.length === 0 || this.mergesIntoOperation(block)) {
      if (t.kind === "op") return this.operationName(t.op);
      if (t.kind === "return" && (!t.value || this.valueJsonata(t.value))) return `Return-line-${this.line(t.value?.node ?? block.origin)}`;
      if (t.kind === "rethrow") return `Rethrow-line-${line}`;
      if (t.kind === "enter") return this.childContextName(t.context);
      if (t.kind === "wrapChild") return `${this.childContextName(t.context)}-failed`;
      if (t.kind === "branch" && this.conditionJsonata(t.cond)) return `${t.what === "loop" ? "Loop" : "If"}-line-${this.line(t.cond.node)}`;
    }
    const line2 = this.line(block.code[0]?.node ?? block.origin);
    if ((t.kind === "goto" || t.kind === "open") && assignmentsOf(block.code, this.locals, this.liveOut(block))) return `Assign-line-${line2}`;
    // A fragment Task is named for what it computes for the state after it.
    if (t.kind === "return") return `Compute-result-line-${line2}`;
    if (t.kind === "branch" || t.kind === "switch") return `Evaluate-line-${line2}`;
    return `Code-line-${line2}`;
  }

  private operationName(op: DurableOp): string {
    // promise.all's own name goes to the marker of its child context.
    if (op.kind === "promise") return `${op.context.name ?? `Promise-${op.combinator}-line-${this.line(op.call)}`}-operations`;
    if (typeof op.name === "string") return op.name;
    const what = { step: "Step", wait: "Wait", waitForCallback: "Callback", waitForCondition: "Condition", invoke: "Invoke", map: "Map", parallel: "Parallel", createCallback: "Callback", promise: "Promise" }[op.kind];
    return `${what}-line-${this.line(op.call)}`;
  }

  private locate(name: string, node: Node, extra: Partial<SourceMapEntry> = {}, block?: Block): void {
    const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
    const context = extra.operation && block?.context ? { context: block.context.id } : {};
    this.sourceMap[name] = { file: path.basename(this.file), line, column, ...extra, ...context };
  }

  private comment(node: Node): string {
    return `${path.basename(this.file)}:${this.line(node)}`;
  }

  // ---- blocks --------------------------------------------------------------------------------

  /** A step or callback Task can run the block's code too, when no catch could observe it half-done. */
  private mergesIntoOperation(block: Block): boolean {
    const t = block.term;
    if (t.kind !== "op" || !["step", "waitForCallback"].includes(t.op.kind) || this.nameNeedsCode(t.op, block)) return false;
    if (block.code.length === 0) return true;
    const writesLive = this.liveOut(block).size > 0 && [...this.written(block)].some((l) => this.liveOut(block).has(l));
    if (t.op.kind === "waitForCallback") return !writesLive;
    return !writesLive || !block.handler;
  }

  private emitBlock(block: Block): void {
    const name = this.entries.get(block)!;
    const t = block.term;
    if (t.kind === "op" && this.mergesIntoOperation(block)) return this.emitOperation(name, block, t.op, t.target, t.next, true);
    if (block.code.length === 0) {
      if (t.kind === "op" && !this.operationNeedsCode(t.op, block)) return this.emitOperation(name, block, t.op, t.target, t.next, false);
      if (t.kind === "return" && (!t.value || this.valueJsonata(t.value))) return this.emitReturn(name, block, t.value);
      if (t.kind === "rethrow") return this.emitRethrow(name, block, t.record);
      if (t.kind === "wrapChild") return this.emitWrapChild(name, block, t.context, t.record);
      if (t.kind === "enter") return this.emitEnter(name, block, t.context, t.next);
      if (t.kind === "branch" && this.conditionJsonata(t.cond)) {
        return this.emitChoice(name, [{ condition: this.conditionJsonata(t.cond)!, target: t.then }], t.else, t.cond.node);
      }
    }
    if (t.kind === "goto" || t.kind === "open") {
      const assign = assignmentsOf(block.code, this.locals, this.liveOut(block));
      if (assign) return this.emitAssignments(name, block, assign, t.kind === "goto" ? this.entryOf(t.target) : this.endState());
    }
    this.emitCodeTask(name, block);
  }

  /** Simple assignments as a Pass state: no Lambda invocation (transform/assign.ts). */
  private emitAssignments(name: string, block: Block, assign: Record<string, string>, next: string): void {
    const at = block.code[0]?.node ?? block.origin;
    const state: AslState = { Type: "Pass", Comment: this.comment(at) };
    if (Object.keys(assign).length > 0) state.Assign = assign;
    state.Next = next;
    this.states.set(name, state);
    this.locate(name, at);
  }

  /** The block's code (and whatever its terminator needs computed) in one fragment Task. */
  private emitCodeTask(name: string, block: Block): void {
    const t = block.term;
    const needed = this.neededAfter(block);
    // The operation's target may be read by the operation itself (`b = await context.step(`s-${b}`, ...)`): hand it on too.
    const written = [...this.written(block)].filter((l) => needed.has(l));
    let tail = "";
    let next: string;
    const pieces: CodePiece[] = []; // read by the terminator, not emitted as statements
    switch (t.kind) {
      case "goto":
      case "open":
        next = t.kind === "goto" ? this.entryOf(t.target) : this.endState();
        break;
      case "branch":
        pieces.push(t.cond.piece);
        tail = `branch: !!(${t.cond.piece.text})`;
        next = this.afterCode([{ condition: "$states.input.branch", target: t.then }], t.else, t.cond.node, t.what === "loop" ? "Loop" : "If");
        break;
      case "switch": {
        pieces.push(t.discriminant.piece, ...t.cases.map((c) => c.piece));
        const cases = t.cases.map((c, i) => `case ${c.piece.text}: return ${i};`).join(" ");
        tail = `branch: (() => { switch (${t.discriminant.piece.text}) { ${cases} default: return -1; } })()`;
        const rules = t.targets.map((target, i) => ({ condition: `$states.input.branch = ${i}`, target }));
        next = this.afterCode(rules, t.otherwise, t.discriminant.node, "Switch");
        break;
      }
      case "return": {
        if (t.value) pieces.push(t.value.piece);
        // A branch's result is checkpointed as JSON by the SDK, where undefined stays undefined.
        tail = t.value ? `value: ${this.branch ? "$d.json" : "$d.result"}(${t.value.piece.text})` : "";
        next = this.namer.name(`Return-line-${this.line(t.value?.node ?? block.origin)}`);
        this.states.set(next, { Type: "Succeed", Comment: this.comment(t.value?.node ?? block.origin), Output: this.returned(t.value ? "$states.input.value" : undefined) });
        this.locate(next, t.value?.node ?? block.origin);
        break;
      }
      case "op": {
        const tails: string[] = [];
        const computed = {
          seconds: t.op.kind === "wait" && literalDurationSeconds(t.op.duration.node) === undefined,
          name: this.nameNeedsCode(t.op, block),
        };
        if (computed.seconds && t.op.kind === "wait") {
          pieces.push(t.op.duration.piece);
          tails.push(`seconds: $d.seconds(${t.op.duration.piece.text})`);
        }
        if (computed.name) {
          const name = t.op.name as ValueExpr;
          pieces.push(name.piece);
          tails.push(`name: String(${name.piece.text})`);
        }
        if (t.op.kind === "map" || t.op.kind === "parallel") {
          const parts = [t.op.items?.piece, t.op.config?.piece].filter((p) => p !== undefined);
          pieces.push(...parts);
          tails.push(`batch: $d.batchInput(${t.op.items?.piece.text ?? "undefined"}, ${t.op.config?.piece.text ?? "undefined"})`);
        }
        if (this.invokeInputNeedsCode(t.op, block) && t.op.kind === "invoke") {
          pieces.push(t.op.input!.piece);
          tails.push(`payload: $d.json(${t.op.input!.piece.text})`);
        }
        tail = tails.join(", ");
        next = this.namer.name(this.operationName(t.op));
        this.states.set(next, {});
        this.emitOperation(next, block, t.op, t.target, t.next, false, computed);
        break;
      }
      case "rethrow":
        next = this.namer.name(`Rethrow-line-${this.line(block.origin)}`);
        this.states.set(next, {});
        this.emitRethrow(next, block, t.record);
        break;
      case "enter":
        next = this.namer.name(this.childContextName(t.context));
        this.states.set(next, {});
        this.emitEnter(next, block, t.context, t.next);
        break;
      case "wrapChild":
        throw new Error("internal: a child context's error wrapper has no code");
    }
    const keptOnThrow = this.keptOnThrow(block);
    const fragment = this.fragment(name, block.code, pieces, written, tail, keptOnThrow);
    const at = block.code[0]?.node ?? block.origin;
    const after = keptOnThrow.length > 0 ? this.ifThrew(block, at, next!) : next!;
    this.states.set(name, this.task(block, fragment, written, after, at, "code", keptOnThrow));
    this.locate(name, at, { fragment: fragment.id });
  }

  /**
   * Locals the block's code may change that its catch (or finally) reads. A Task that fails
   * assigns nothing, so such a block's fragment catches its own error and returns it with these
   * values (`$d.threw`); `ifThrew` then takes the error to the handler, as the Catch would have.
   * Locals declared in the block are out of the handler's scope and never kept.
   */
  private keptOnThrow(block: Block): Local[] {
    if (!block.handler) return [];
    const declared = new Set(block.code.flatMap((p) => [...p.declares]));
    const handlerReads = this.liveness.liveIn.get(block.handler.entry)!;
    return [...this.written(block)].filter((l) => handlerReads.has(l) && !declared.has(l)).sort((a, b) => a.id.localeCompare(b.id));
  }

  private ifThrew(block: Block, at: Node, next: string): string {
    const name = this.namer.name(`If-threw-line-${this.line(at)}`);
    const handler = block.handler!;
    this.states.set(name, {
      Type: "Choice",
      Comment: this.comment(at),
      Choices: [{ Condition: expression("$exists($states.input.thrown)"), Assign: { [handler.record.id]: expression("$states.input.thrown") }, Next: this.entryOf(handler.entry) }],
      Default: next,
    });
    this.locate(name, at);
    return name;
  }

  private afterCode(rules: { condition: string; target: Block }[], otherwise: Block, at: Node, what = "Branch"): string {
    const name = this.namer.name(`${what}-line-${this.line(at)}`);
    this.states.set(name, {});
    this.emitChoice(name, rules, otherwise, at);
    return name;
  }

  private emitChoice(name: string, rules: { condition: string; target: Block }[], otherwise: Block, at: Node): void {
    this.states.set(name, {
      Type: "Choice",
      Comment: this.comment(at),
      Choices: rules.map((r) => ({ Condition: expression(r.condition), Next: this.entryOf(r.target) })),
      Default: this.entryOf(otherwise),
    });
    this.locate(name, at);
  }

  private emitReturn(name: string, block: Block, value: ValueExpr | undefined): void {
    const at = value?.node ?? block.origin;
    this.states.set(name, { Type: "Succeed", Comment: this.comment(at), Output: this.returned(value ? this.valueJsonata(value)! : undefined) });
    this.locate(name, at);
  }

  private childContextName(context: { name: string | null; call: Node }): string {
    return context.name ?? `Child-context-line-${this.line(context.call)}`;
  }

  /**
   * `map` / `parallel`: a Map state over the items the code before it prepared, or a Parallel
   * state, each iteration or branch a graph of its own ending in `{status, result | error}`. The
   * target gets a BatchResult marker, which fragments read as a BatchResult
   * (runtime/fragments/batch.ts); completion is decided there, over the items in index order.
   */
  private emitBatch(name: string, block: Block, op: BatchOp, target: Local | undefined, next: string, entry: Partial<SourceMapEntry>, computed: { name?: boolean }): void {
    const opName = this.operationName(op);
    const graphs = op.branches.map((branch, i) => this.branchGraph(branch, op.kind === "map" ? `${opName}-item` : `${opName}-${branch.context.name ?? i}`, op.kind === "map"));
    const state: AslState = { Type: op.kind === "map" ? "Map" : "Parallel", Comment: this.comment(op.call) };
    if (op.kind === "map") {
      state.Items = expression("$states.input.batch.items");
      state.ItemSelector = expression('{"value": $states.context.Map.Item.Value.value, "name": $states.context.Map.Item.Value.name, "index": $states.context.Map.Item.Index}');
      state.ItemProcessor = { ProcessorConfig: { Mode: "INLINE" }, ...graphs[0] };
    } else {
      state.Branches = graphs;
    }
    // A Parallel state has no MaxConcurrency: its branches all run at once. Without an early
    // completion (D2S2014 warns of one) the outcome is the same; only the timing differs.
    if (op.maxConcurrency !== undefined && op.kind === "map") state.MaxConcurrency = op.maxConcurrency;
    const completion = this.batchNeedsCode(op) ? "$states.input.batch.completion" : "null";
    const running = op.kind === "map" ? (op.maxConcurrency ?? "null") : "null";
    if (target) state.Assign = { [target.id]: expression(`{"${BATCH_MARKER}": {"outcomes": $states.result, "completion": ${completion}, "maxConcurrency": ${running}}}`) };
    state.Next = next;
    this.states.set(name, state);
    if (computed.name) entry.operation!.nameFrom = "input";
    this.locate(name, op.call, entry, block);
  }

  private branchGraph(branch: Branch, marker: string, nameFromInput: boolean): { StartAt: string; States: Record<string, AslState> } {
    const shared = { namer: this.namer, fragments: this.fragments, sourceMap: this.sourceMap };
    const graph = new StateBuilder(branch.cfg, this.locals, this.file, shared, { marker: { context: branch.context, name: marker, nameFromInput }, label: marker }).build();
    return { StartAt: graph.startAt, States: graph.states };
  }

  /**
   * `createCallback` + the step that hands the id on + `await promise`: one waitForTaskToken Task
   * whose fragment runs the step (its retries are the Task's Retry) with the task token as the id;
   * the Task ends when the token is answered. lower.ts admits only this shape.
   */
  private emitCreateCallback(name: string, block: Block, op: CreateCallbackOp, target: Local | undefined, next: string, entry: Partial<SourceMapEntry>): void {
    const step = op.step;
    for (const n of [op.name, step.name]) {
      if (n !== null && typeof n !== "string") fail(n.node, "D2S2015", "createCallback and its step need literal names here", "write the names as string literals");
    }
    this.checkStepOptions(step.config?.node);
    const token = { text: `let ${op.callbackId.id} = $d.event.callbackId;`, reads: new Set<Local>(), writes: new Set<Local>(), declares: new Set([op.callbackId]) };
    const pieces = [step.body.piece, ...(step.config ? [step.config.piece] : [])];
    const fragment = this.fragment(name, [token], pieces, [], `submitted: await $d.step(${step.body.piece.text}${step.config ? `, ${step.config.piece.text}` : ""})`);
    const state = this.task(block, fragment, [], next, op.call, "callback");
    const payload = (state.Arguments as { Payload: Record<string, unknown> }).Payload;
    state.Resource = LAMBDA_INVOKE_WAIT;
    payload.callbackId = expression("$states.context.Task.Token");
    payload.attempt = expression("$states.context.State.RetryCount + 1");
    delete state.Output;
    delete state.Assign;
    if (target) state.Assign = { [target.id]: expression(CALLBACK_ANSWER) };
    this.applyCallbackTimeouts(state, op.config?.node);
    state.Retry = [retrierFor(step.config?.node)];
    state.Catch = [this.catcher("createCallback", block.handler?.record.id ?? this.uncaughtVar, block.handler ? this.entryOf(block.handler.entry) : this.uncaught())];
    state.Next = next;
    this.states.set(name, state);
    this.locate(name, op.call, { ...entry, handsOnTo: { name: step.name as string | null }, fragment: fragment.id }, block);
  }

  /**
   * `promise.all` / `allSettled`: a Parallel state, one branch per operation (records that are
   * siblings of the caller's, as under the SDK), then the marker of the combinator's own child
   * context, which takes the outcomes; `all` goes on to the handler with a
   * PromiseCombinatorError carrying the first failed operation's error.
   */
  private emitCombinator(name: string, block: Block, op: CombinatorOp, target: Local | undefined, next: string): void {
    const shared = { namer: this.namer, fragments: this.fragments, sourceMap: this.sourceMap };
    const label = op.context.name ?? `Promise-${op.combinator}-line-${this.line(op.call)}`;
    const branches = op.branches.map((cfg, i) => {
      const graph = new StateBuilder(cfg, this.locals, this.file, shared, { label: `${label}-${i}` }).build();
      return { StartAt: graph.startAt, States: graph.states };
    });
    const outcomes = this.locals.temporary("outcomes");
    const marker = this.namer.name(op.context.name ?? label);
    this.states.set(name, { Type: "Parallel", Comment: this.comment(op.call), Branches: branches, Assign: { [outcomes.id]: expression("$states.result") }, Next: marker });
    this.locate(name, op.call, { siblings: true }, block);
    const settled: AslState = { Type: "Pass", Comment: `${this.comment(op.call)} promise.${op.combinator}` };
    if (target) settled.Assign = { [target.id]: expression(`{"${PROMISE_MARKER}": {"combinator": "${op.combinator}", "outcomes": $${outcomes.id}}}`) };
    this.states.set(marker, settled);
    this.locate(marker, op.call, { operation: { kind: "childContext", name: op.context.name }, childContext: { id: op.context.id, parent: op.context.parent?.id } }, block);
    if (op.combinator === "allSettled") {
      settled.Next = next;
      return;
    }
    const [check, rejected] = [this.namer.name(`If-${label}-rejected`), this.namer.name(`${label}-rejected`)];
    settled.Next = check;
    this.states.set(check, {
      Type: "Choice",
      Comment: this.comment(op.call),
      Choices: [{ Condition: expression(`$count($${outcomes.id}[status = "FAILED"]) > 0`), Next: rejected }],
      Default: next,
    });
    this.locate(check, op.call);
    const failed = `$${outcomes.id}[status = "FAILED"][0].error`;
    const record = `{"kind": "promise", "Error": "PromiseCombinatorError", "Cause": ${messageOf(`${failed}.Cause`)}, "inner": ${failed}}`;
    this.states.set(rejected, {
      Type: "Pass",
      Comment: "an operation failed: promise.all rejects with PromiseCombinatorError",
      Assign: { [block.handler?.record.id ?? this.uncaughtVar]: expression(record) },
      Next: block.handler ? this.entryOf(block.handler.entry) : this.uncaught(),
    });
    this.locate(rejected, op.call, { failedContext: op.context.id });
  }

  /** `invoke`: a Task calling the other function; its failure reaches catch code as InvokeError. */
  private emitInvoke(
    name: string,
    block: Block,
    op: Extract<DurableOp, { kind: "invoke" }>,
    target: Local | undefined,
    next: string,
    entry: Partial<SourceMapEntry>,
    computed: { name?: boolean },
  ): void {
    const fnNode = op.functionId.node;
    const functionName = Node.isStringLiteral(fnNode) || Node.isNoSubstitutionTemplateLiteral(fnNode) ? fnNode.getLiteralValue() : undefined;
    if (functionName === undefined) fail(fnNode, "D2S2008", "the invoked function must be named by a string literal", "write the function name or ARN as a literal, so the template can grant exactly that function");
    const payload = !op.input ? {} : this.invokeInputNeedsCode(op, block) ? expression("$states.input.payload") : expression(this.valueJsonata(op.input)!);
    const state: AslState = {
      Type: "Task",
      Comment: this.comment(op.call),
      Resource: LAMBDA_INVOKE,
      Arguments: { FunctionName: functionName, Payload: payload },
      Output: expression("$states.result.Payload"),
      Retry: [SERVICE_RETRIER],
      Catch: [this.catcher("invoke", block.handler?.record.id ?? this.uncaughtVar, block.handler ? this.entryOf(block.handler.entry) : this.uncaught())],
      Next: next,
    };
    if (target) state.Assign = { [target.id]: expression("$states.result.Payload") };
    this.states.set(name, state);
    if (op.name !== null && typeof op.name !== "string") {
      if (computed.name) entry.operation!.nameFrom = "input";
      else fail(op.name.node, "D2S2008", "an invoke name must be a string literal", "write the name as a literal");
    }
    this.locate(name, op.call, entry, block);
  }

  /**
   * waitForCondition as the SDK runs it: a check (a fragment that also asks the wait strategy),
   * then either the result or a Wait of the strategy's delay and the next check. The delay is
   * read at run time, so any strategy, custom ones included, behaves exactly.
   */
  private emitCondition(name: string, block: Block, op: Extract<DurableOp, { kind: "waitForCondition" }>, target: Local | undefined, next: string, entry: Partial<SourceMapEntry>): void {
    const check = this.namer.name(`${this.operationName(op)}-check`);
    const decide = this.namer.name(`${this.operationName(op)}-done`);
    const pause = this.namer.name(`${this.operationName(op)}-wait`);
    this.states.set(name, {
      Type: "Pass",
      Comment: `${this.comment(op.call)} waitForCondition`,
      Assign: { [op.attempt.id]: 1, [op.state.id]: { __undefined__: true } },
      Next: check,
    });
    this.locate(name, op.call, entry, block);
    const tail = `...(await $d.poll(${op.check.piece.text}, ${op.config.piece.text}, ${op.attempt.id} === 1 ? (${op.config.piece.text}).initialState : ${op.state.id}))`;
    const fragment = this.fragment(check, [], [op.check.piece, op.config.piece, this.readsOf([op.attempt, op.state])], [], tail);
    const task = this.task(block, fragment, [], decide, op.call, "step");
    const payload = (task.Arguments as { Payload: Record<string, unknown> }).Payload;
    payload.attempt = expression(`$${op.attempt.id}`);
    task.Assign = { [op.state.id]: expression("$states.result.Payload.state"), [op.attempt.id]: expression(`$${op.attempt.id} + 1`) };
    task.Retry = [SERVICE_RETRIER];
    this.states.set(check, task);
    this.locate(check, op.call, { fragment: fragment.id, pollOf: name });
    const done: Record<string, unknown> = { Condition: expression("$not($states.input.continue)"), Next: next };
    if (target) done.Assign = { [target.id]: expression("$states.input.state") };
    this.states.set(decide, { Type: "Choice", Comment: this.comment(op.call), Choices: [done], Default: pause });
    this.states.set(pause, { Type: "Wait", Comment: this.comment(op.call), Seconds: expression("$states.input.delay"), Next: check });
  }

  private readsOf(locals: Local[]): CodePiece {
    return { text: "", reads: new Set(locals), writes: new Set(), declares: new Set() };
  }

  /** The marker of a child context: it costs one transition and makes the context visible in the history. */
  private emitEnter(name: string, block: Block, context: import("../analyze/cfg.ts").ChildContext, next: Block): void {
    this.states.set(name, { Type: "Pass", Comment: `${this.comment(context.call)} runInChildContext`, Next: this.entryOf(next) });
    this.locate(name, context.call, { operation: { kind: "childContext", name: context.name }, childContext: { id: context.id, parent: context.parent?.id } }, block);
  }

  /** An error leaving a child context becomes a ChildContextError carrying it as cause, as the SDK does. */
  private emitWrapChild(name: string, block: Block, context: import("../analyze/cfg.ts").ChildContext, record: Local): void {
    const r = `$${record.id}`;
    const wrapped = `{"kind": "child", "Error": "ChildContextError", "Cause": ${messageOf(`${r}.Cause`)}, "inner": ${r}}`;
    const target = block.handler ? block.handler.record.id : this.uncaughtVar;
    this.states.set(name, {
      Type: "Pass",
      Comment: "wrap the error as ChildContextError",
      Assign: { [target]: expression(wrapped) },
      Next: block.handler ? this.entryOf(block.handler.entry) : this.uncaught(),
    });
    this.locate(name, context.call, { failedContext: context.id });
  }

  private emitRethrow(name: string, block: Block, record: Local): void {
    if (block.handler) {
      this.states.set(name, {
        Type: "Pass",
        Comment: "throw the error on to the enclosing handler",
        Assign: { [block.handler.record.id]: expression(`$${record.id}`) },
        Next: this.entryOf(block.handler.entry),
      });
    } else if (this.branch) {
      this.states.set(name, { Type: "Pass", Comment: "rethrow after finally", Assign: { [this.uncaughtVar]: expression(`$${record.id}`) }, Next: this.uncaught() });
    } else {
      this.states.set(name, { Type: "Fail", Comment: "rethrow after finally", Error: expression(`$${record.id}.Error`), Cause: expression(`$${record.id}.Cause`) });
    }
    this.locate(name, block.origin);
  }

  private endState(): string {
    const name = this.namer.name("Done");
    this.states.set(name, { Type: "Succeed", Output: this.returned(undefined) });
    return name;
  }

  /** The Output of a Succeed for a return of `value` (JSONata), or of nothing. */
  private returned(value: string | undefined): string | null {
    if (this.branch) return expression(value ? `{"status": "SUCCEEDED", "result": ${value}}` : '{"status": "SUCCEEDED"}');
    return value ? expression(value) : null;
  }

  // ---- durable operations --------------------------------------------------------------------

  private emitOperation(name: string, block: Block, op: DurableOp, target: Local | undefined, next: Block, merged: boolean, computed: { seconds?: boolean; name?: boolean } = {}): void {
    const nextState = this.entryOf(next);
    if (op.kind === "promise") return this.emitCombinator(name, block, op, target, nextState);
    const entry: Partial<SourceMapEntry> = { operation: { kind: op.kind, name: typeof op.name === "string" ? op.name : null } };
    if (op.kind === "waitForCondition") return this.emitCondition(name, block, op, target, nextState, entry);
    if (op.kind === "invoke") return this.emitInvoke(name, block, op, target, nextState, entry, computed);
    if (op.kind === "map" || op.kind === "parallel") return this.emitBatch(name, block, op, target, nextState, entry, computed);
    if (op.kind === "wait") {
      const literal = literalDurationSeconds(op.duration.node);
      const state: AslState = { Type: "Wait", Comment: this.comment(op.call) };
      if (literal !== undefined) state.Seconds = literal;
      else if (computed.seconds) state.Seconds = expression("$states.input.seconds");
      else fail(op.duration.node, "D2S2008", "this wait duration cannot be computed", "use a Duration object such as `{ seconds: n }`");
      state.Next = nextState;
      this.states.set(name, state);
      if (computed.name) entry.operation!.nameFrom = "input";
      this.locate(name, op.call, entry, block);
      return;
    }
    const code = merged ? block.code : [];
    const pieces: CodePiece[] = [];
    const written = merged ? [...this.written(block)].filter((l) => this.liveOut(block).has(l) && l !== target) : [];
    let tail: string;
    if (op.kind === "step") {
      this.checkStepOptions(op.config?.node);
      pieces.push(op.body.piece, ...(op.config ? [op.config.piece] : []));
      tail = `result: await $d.step(${op.body.piece.text}${op.config ? `, ${op.config.piece.text}` : ""})`;
    } else if (op.kind === "waitForCallback") {
      pieces.push(op.submitter.piece, ...(op.config ? [op.config.piece] : []));
      tail = `submitted: await $d.submit(${op.submitter.piece.text}${op.config ? `, ${op.config.piece.text}` : ""})`;
    } else if (op.kind === "createCallback") {
      return this.emitCreateCallback(name, block, op, target, nextState, entry);
    } else {
      throw new Error(`internal: ${op.kind} is not a step or callback Task`);
    }
    const fragment = this.fragment(name, code, pieces, written, tail);
    const state = this.task(block, fragment, written, nextState, op.call, op.kind === "step" ? "step" : "callback");
    const payload = (state.Arguments as { Payload: Record<string, unknown> }).Payload;
    if (op.name !== null && typeof op.name !== "string") {
      // The name goes into the payload, where the execution history shows it.
      payload.name = expression(computed.name ? "$states.input.name" : this.valueJsonata(op.name)!);
      entry.operation!.nameFrom = "payload";
    }
    const assign = (state.Assign ?? {}) as Record<string, string>;
    if (op.kind === "step") {
      payload.attempt = expression("$states.context.State.RetryCount + 1");
      if (target) assign[target.id] = expression("$states.result.Payload.result");
      const native = nativeRetrier(op.config?.node);
      if (native) state.Retry = [native, ...this.serviceRetry(op.config?.node)];
    } else {
      state.Resource = LAMBDA_INVOKE_WAIT;
      payload.callbackId = expression("$states.context.Task.Token");
      payload.attempt = expression("$states.context.State.RetryCount + 1");
      // The SDK hands the raw string to the handler; a JSON string answer is taken as that string.
      // An empty answer is no answer: the SDK hands the handler `undefined` (stored as the undefined marker).
      if (target) assign[target.id] = expression(CALLBACK_ANSWER);
      delete state.Output;
      for (const key of Object.keys(assign)) if (key !== target?.id) delete assign[key];
      this.applyCallbackTimeouts(state, op.config?.node);
      state.Retry = [retrierFor(op.config?.node)];
      if (!block.handler) state.Catch = [this.catcher("callback", this.uncaughtVar, this.uncaught())];
    }
    if (Object.keys(assign).length > 0) state.Assign = assign;
    else delete state.Assign;
    if (op.kind === "step" && !nativeRetrier(op.config?.node)) return this.emitRetryLoop(name, block, op, state, entry, fragment.id);
    this.states.set(name, state);
    this.locate(name, op.call, { ...entry, fragment: fragment.id }, block);
  }

  /**
   * A retry strategy whose delays ASL Retry cannot express (a custom function, the linear
   * preset, HALF jitter, options computed at run time) runs as an explicit loop: the fragment
   * asks the strategy and puts its delay in the error; a Choice and a Wait of that delay bring
   * the next attempt. Exact for any strategy, at two more transitions per retry.
   */
  private emitRetryLoop(name: string, block: Block, op: DurableOp, task: AslState, entry: Partial<SourceMapEntry>, fragment: string): void {
    const base = this.operationName(op);
    const [attemptName, decide, pause, giveUp] = ["attempt", "retry", "backoff", "failed"].map((s) => this.namer.name(`${base}-${s}`));
    const attempt = this.locals.temporary("attempt");
    const failure = this.locals.temporary("stepFailure");
    const payload = (task.Arguments as { Payload: Record<string, unknown> }).Payload;
    const first: Record<string, unknown> = { [attempt.id]: 1 };
    if (payload.name === expression("$states.input.name")) {
      // Retries enter the Task from the Wait, not from the code that computed the name: keep it in a variable.
      const opName = this.locals.temporary("operationName");
      first[opName.id] = expression("$states.input.name");
      payload.name = expression(`$${opName.id}`);
    }
    this.states.set(name, { Type: "Pass", Comment: `${this.comment(op.call)} first attempt`, Assign: first, Next: attemptName });
    this.locate(name, op.call, entry, block);
    payload.attempt = expression(`$${attempt.id}`);
    task.Retry = this.serviceRetry((op as { config?: ValueExpr }).config?.node);
    if ((task.Retry as unknown[]).length === 0) delete task.Retry;
    task.Catch = [{ ErrorEquals: ["States.ALL"], Assign: { [failure.id]: expression("$states.errorOutput") }, Next: decide }];
    this.states.set(attemptName, task);
    this.locate(attemptName, op.call, { fragment, pollOf: name });
    this.states.set(decide, {
      Type: "Choice",
      Comment: `${this.comment(op.call)} retry when the strategy said so`,
      Choices: [{ Condition: expression(`$${failure.id}.Error = "${STEP_ATTEMPT_FAILED}"`), Assign: { [attempt.id]: expression(`$${attempt.id} + 1`) }, Next: pause }],
      Default: giveUp,
    });
    const delay = `( $trace := $parse($${failure.id}.Cause).trace; $line := $trace[$contains($, "d2s-cause:")][0]; $parse($substringAfter($line, "d2s-cause:")).retryAfterSeconds )`;
    this.states.set(pause, { Type: "Wait", Comment: `${this.comment(op.call)} the delay the retry strategy chose`, Seconds: expression(delay), Next: attemptName });
    const record = `{"kind": "step", "Error": $${failure.id}.Error, "Cause": $${failure.id}.Cause}`;
    this.states.set(giveUp, {
      Type: "Pass",
      Comment: "the step failed for good",
      Assign: { [block.handler?.record.id ?? this.uncaughtVar]: expression(record) },
      Next: block.handler ? this.entryOf(block.handler.entry) : this.uncaught(),
    });
  }

  /** Values of the operation that only code can compute: a computed wait, a computed name. */
  private operationNeedsCode(op: DurableOp, block: Block): boolean {
    return (
      (op.kind === "wait" && literalDurationSeconds(op.duration.node) === undefined) ||
      this.invokeInputNeedsCode(op, block) ||
      this.nameNeedsCode(op, block) ||
      this.batchNeedsCode(op)
    );
  }

  /** Map items, names and completion thresholds are worked out by code, just before the state. */
  private batchNeedsCode(op: DurableOp): boolean {
    return op.kind === "map" || (op.kind === "parallel" && op.config !== undefined);
  }

  /** An invoke input JSONata cannot build exactly (or that this block's code sets) is built by code. */
  private invokeInputNeedsCode(op: DurableOp, block: Block): boolean {
    if (op.kind !== "invoke" || !op.input) return false;
    if (!this.valueJsonata(op.input)) return true;
    const setHere = this.written(block);
    return [...op.input.piece.reads].some((l) => setHere.has(l));
  }

  /** A computed name that JSONata cannot reproduce exactly is computed by the code before the operation. */
  private nameNeedsCode(op: DurableOp, block?: Block): boolean {
    if (op.name === null || typeof op.name === "string") return false;
    if (op.kind === "wait" || !this.valueJsonata(op.name)) return true;
    // JSONata reads ASL Variables as they are before the state: not what this block's code sets.
    const setHere = block ? this.written(block) : new Set<Local>();
    return [...op.name.piece.reads].some((l) => setHere.has(l));
  }

  /** Only the options whose meaning ASL can carry; custom serdes and the like are refused. */
  private checkStepOptions(config: Expression | undefined): void {
    if (!config) return;
    if (!Node.isObjectLiteralExpression(config)) fail(config, "D2S2008", "step options must be an object literal", "write the options inline");
    for (const prop of config.getProperties()) {
      const name = Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) ? prop.getName() : "";
      if (!["retryStrategy", "semantics"].includes(name)) {
        fail(prop, "D2S2008", `the step option \`${name || prop.getText()}\` is not supported`, "custom serdes cannot be reproduced in ASL; remove the option");
      }
    }
  }


  /** At-most-once steps must not be re-run after a service error: the SDK would not run them again either. */
  private serviceRetry(config: Expression | undefined): object[] {
    const atMostOnce = config?.getText().includes("AtMostOncePerRetry");
    return atMostOnce ? [] : [SERVICE_RETRIER];
  }

  private applyCallbackTimeouts(state: AslState, config: Expression | undefined): void {
    if (!config) return;
    if (!Node.isObjectLiteralExpression(config)) fail(config, "D2S2008", "callback options must be an object literal", "write the options inline");
    for (const prop of config.getProperties()) {
      if (!Node.isPropertyAssignment(prop)) fail(prop, "D2S2008", "callback options must be literal properties", "write `timeout: { hours: 1 }`");
      const value = prop.getInitializerOrThrow();
      switch (prop.getName()) {
        case "timeout":
          state.TimeoutSeconds = literalDuration(value);
          break;
        case "heartbeatTimeout":
          state.HeartbeatSeconds = literalDuration(value);
          break;
        case "retryStrategy":
          break;
        default:
          fail(prop, "D2S2008", `the callback option \`${prop.getName()}\` is not supported`, "custom serdes cannot be reproduced in ASL; parse the raw string in your code");
      }
    }
  }

  // ---- fragments and tasks -------------------------------------------------------------------

  private liveOut(block: Block): Set<Local> {
    return this.liveness.liveOut.get(block)!;
  }

  /** What the states after a code Task read: the live locals, and what its own terminator state reads. */
  private neededAfter(block: Block): Set<Local> {
    return new Set([...this.liveOut(block), ...terminatorReads(block.term)]);
  }

  /**
   * Locals the block's code may change. Besides assignments, any object or array it reads may be
   * changed in place (`log.push(x)`, `order.total = 3`), so those count as written too.
   */
  private written(block: Block): Set<Local> {
    const out = new Set<Local>();
    for (const p of block.code) {
      p.writes.forEach((l) => out.add(l));
      p.declares.forEach((l) => out.add(l));
      // Only the user's own variables can be changed in place; the compiler's temporaries never are.
      p.reads.forEach((l) => l.declaration && !l.errorRecord && !isPrimitiveType(l.type) && out.add(l));
    }
    return out;
  }

  /** Locals a fragment must be given: what it reads and does not declare itself. */
  private inputs(pieces: CodePiece[]): { carried: Local[]; errors: Local[] } {
    const declared = new Set<Local>();
    const read = new Set<Local>();
    for (const p of pieces) {
      p.declares.forEach((l) => declared.add(l));
      p.reads.forEach((l) => read.add(l));
      p.writes.forEach((l) => read.add(l)); // assigned but declared earlier: must exist in the fragment
    }
    const candidates = [...read].filter((l) => !declared.has(l) && !l.isContext);
    return {
      carried: candidates.filter((l) => !l.errorRecord),
      errors: candidates.filter((l) => l.errorRecord),
    };
  }

  private fragment(id: string, code: CodePiece[], alsoRead: CodePiece[], written: Local[], tail: string, keptOnThrow: Local[] = []): FragmentSource & { carried: Local[] } {
    const { carried, errors } = this.inputs([...code, ...alsoRead]);
    const records = new Set(errors.map((e) => e.errorRecord!));
    const allCarried = [...new Set([...carried, ...records])].sort((a, b) => a.id.localeCompare(b.id));
    const lines: string[] = [];
    const plain = allCarried.filter((l) => !records.has(l));
    if (plain.length > 0) lines.push(`let { ${plain.map((l) => l.id).join(", ")} } = $v;`);
    for (const e of errors) lines.push(`let ${e.id} = $d.caught($v.${e.errorRecord!.id});`);
    const done = `return $d.done({ ${written.map((l) => l.id).join(", ")} }${tail ? `, { ${tail} }` : ""});`;
    if (keptOnThrow.length > 0) {
      lines.push("try {", ...code.map((p) => indentText(p.text)), indentText(done));
      lines.push(`} catch ($thrown) {`, `  return $d.threw($thrown, { ${keptOnThrow.map((l) => l.id).join(", ")} });`, "}");
    } else {
      for (const p of code) lines.push(p.text);
      lines.push(done);
    }
    const body = lines.join("\n");
    this.fragments.push({ id, body });
    for (const l of allCarried) this.checkCrossable(l);
    written.forEach((l) => this.checkCrossable(l));
    return { id, body, carried: allCarried };
  }

  private checkCrossable(local: Local): void {
    const type = local.type;
    const at = local.declaration;
    if (!type || !at || local.errorRecord) return;
    const bad = notJson(type);
    if (bad) {
      fail(at, "D2S2005", `\`${local.name}\` is ${bad} and is used across a durable operation, where only JSON values survive`, "recompute it after the operation, or return plain data from a step");
    }
  }

  private task(block: Block, fragment: FragmentSource & { carried: Local[] }, written: Local[], next: string, at: Node, kind: "code" | "step" | "callback", keptOnThrow: Local[] = []): AslState {
    const vars: Record<string, string> = {};
    for (const l of fragment.carried) vars[l.id] = expression(`$${l.id}`);
    const state: AslState = {
      Type: "Task",
      Comment: this.comment(at),
      Resource: LAMBDA_INVOKE,
      Arguments: { FunctionName: FRAGMENTS_FUNCTION, Payload: { fragment: fragment.id, vars } },
      Output: expression("$states.result.Payload"),
    };
    const assign: Record<string, string> = {};
    for (const l of written) {
      const value = `$states.result.Payload.vars.${l.id}`;
      // After a caught throw only the kept locals come back; no state reads the others before
      // setting them again (they are not live in the handler), so null stands in for them.
      const thrown = keptOnThrow.length > 0 && !keptOnThrow.includes(l);
      assign[l.id] = expression(thrown ? `$exists($states.result.Payload.thrown) ? null : ${value}` : value);
    }
    if (Object.keys(assign).length > 0) state.Assign = assign;
    if (kind === "code") state.Retry = [SERVICE_RETRIER];
    if (block.handler) state.Catch = [this.catcher(kind, block.handler.record.id, this.entryOf(block.handler.entry))];
    // At the top an uncaught error ends the execution by itself; in a branch it must end the item instead.
    else if (this.branch) state.Catch = [this.catcher(kind, this.uncaughtVar, this.uncaught())];
    state.Next = next;
    return state;
  }

  /** Stores the error as the SDK would name it, so that catch code and rethrows see the same thing. */
  private catcher(kind: ErrorKind, record: string, next: string): object {
    return { ErrorEquals: ["States.ALL"], Assign: { [record]: expression(errorRecordOf(kind)) }, Next: next };
  }

  private uncaught(): string {
    if (!this.uncaughtState && this.branch) {
      // The SDK wraps an item's error in ChildContextError; the item ends FAILED with it. An
      // element of promise.all keeps its own error.
      const marker = this.branch.marker;
      this.uncaughtState = this.namer.name(`${this.branch.label}-failed`);
      const r = `$${this.uncaughtVar}`;
      const error = marker ? `{"kind": "child", "Error": "ChildContextError", "Cause": ${messageOf(`${r}.Cause`)}, "inner": ${r}}` : r;
      this.states.set(this.uncaughtState, { Type: "Pass", Comment: marker ? "the item failed" : "the operation failed", Output: expression(`{"status": "FAILED", "error": ${error}}`), End: true });
      if (marker) this.locate(this.uncaughtState, marker.context.call, { failedContext: marker.context.id });
    }
    if (!this.uncaughtState) {
      this.uncaughtState = this.namer.name("Uncaught-error");
      this.states.set(this.uncaughtState, { Type: "Fail", Comment: "an error no catch block handles ends the execution", Error: expression(`$${UNCAUGHT}.Error`), Cause: expression(`$${UNCAUGHT}.Cause`) });
    }
    return this.uncaughtState;
  }

  // ---- JSONata -------------------------------------------------------------------------------

  private valueJsonata(value: ValueExpr): string | undefined {
    if (value.opaque) return value.jsonata;
    return value.jsonata ?? toJsonata(value.node, this.locals);
  }

  private conditionJsonata(cond: ValueExpr): string | undefined {
    if (cond.jsonata || cond.opaque) return cond.jsonata;
    const type = cond.node.getType();
    if (!(type.isBoolean() || type.isBooleanLiteral())) return undefined;
    return toJsonata(cond.node, this.locals);
  }
}

export type { TryHandler };

/** JSONata for the message of an error Cause: a Lambda error's `errorMessage`, or the Cause itself. */
function messageOf(cause: string): string {
  return `( $c := ${cause}; $exists($c) and $substring($c, 0, 1) = "{" ? $parse($c).errorMessage : $c )`;
}

const NOT_JSON_CLASSES = new Set(["Date", "Map", "Set", "WeakMap", "WeakSet", "RegExp", "Promise", "URL", "Buffer", "Uint8Array"]);

/** Why a value of this type cannot live in an ASL Variable, or undefined when it can. Errors can (values.ts). */
function notJson(type: Type): string | undefined {
  if (isErrorType(type)) return undefined;
  if (type.getCallSignatures().length > 0) return "a function";
  const name = type.getSymbol()?.getName();
  if (name && NOT_JSON_CLASSES.has(name)) return `a ${name}`;
  if (type.isClass() || (type.isObject() && type.getSymbol()?.getDeclarations().some((d) => Node.isClassDeclaration(d)))) {
    return `an instance of class ${name ?? "?"}`;
  }
  return undefined;
}

export function isErrorType(type: Type): boolean {
  return type.getProperty("message") !== undefined && type.getProperty("name") !== undefined && type.getProperty("stack") !== undefined;
}

type ErrorKind = "code" | "step" | "callback" | "invoke" | "createCallback";

/** The error record (JSONata) a Catch stores for a failed state of this kind (runtime/fragments/errors.ts reads it). */
function errorRecordOf(kind: ErrorKind): string {
  switch (kind) {
    case "invoke":
      return `{"kind": "invoke", "Error": "InvokeError", "Cause": ${messageOf("$states.errorOutput.Cause")}}`;
    case "callback":
      // The code run before the submitter (merged into the Task) fails as a Lambda function
      // error, whose Cause is the runtime's JSON with a trace; an answer's failure never is.
      return '( $e := $states.errorOutput.Error; $c := $states.errorOutput.Cause; $timeout := $e in ["States.Timeout", "States.HeartbeatTimeout"]; $code := $e != "CallbackSubmitterError" and $exists($c) and $contains($c, /^\\{"error(Type|Message)":.*"trace":\\[/); $code ? {"kind": "code", "Error": $e, "Cause": $c} : {"kind": "callback", "Error": $timeout ? "CallbackTimeoutError" : $e = "CallbackSubmitterError" ? $e : "CallbackExternalError", "Cause": $e = "States.HeartbeatTimeout" ? "Callback timed out on heartbeat" : $timeout ? "Callback timed out" : ($exists($c) and $c != "") ? $c : "Callback failed"} )';
    case "createCallback":
      // The step that hands the id on failed (StepError), or the callback did.
      return `$states.errorOutput.Error = "StepError" ? ${errorRecordOf("step")} : ${errorRecordOf("callback")}`;
    default:
      return `{"kind": "${kind}", "Error": $states.errorOutput.Error, "Cause": $states.errorOutput.Cause}`;
  }
}

function indentText(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
