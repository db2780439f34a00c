import path from "node:path";
import { EventField, FRAGMENTS_FUNCTION, ReplyField } from "../../protocol/index.ts";
import { Node, type Expression, type Type } from "ts-morph";
import type { BatchOp, Block, Branch, Cfg, ChildContext, CombinatorOp, CreateCallbackOp, DurableOp, TryHandler, ValueExpr } from "../analyze/cfg.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import { computeLiveness, terminatorReads, type Liveness } from "../analyze/liveness.ts";
import { isPrimitiveType, type CodePiece } from "../analyze/render.ts";
import { fail } from "../diagnostics.ts";
import { assignmentsOf } from "./assign.ts";
import { emitBatch, emitCombinator } from "./concurrency.ts";
import { emitCreateCallback } from "./create-callback.ts";
import { CALLBACK_ANSWER, errorRecordOf, wrappedRecord, type ErrorKind } from "./error-records.ts";
import { emitInvoke } from "./invoke.ts";
import { LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT, SERVICE_RETRIER } from "./lambda.ts";
import { emitRetryLoop } from "./retry-loop.ts";
import { emitCondition } from "./wait-for-condition.ts";
import { expression, propertyOf, toJsonata } from "./jsonata.ts";
import { commentText, StateNamer } from "./names.ts";
import { literalDuration, literalDurationSeconds, nativeRetrier, retrierFor } from "./retry.ts";

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

const UNCAUGHT = "uncaught";

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
export interface BranchMode {
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

/** Builds the states of one graph (the handler, or a branch); the operation emitters of this folder take it as `b`. */
export class StateBuilder {
  readonly states = new Map<string, AslState>();
  readonly sourceMap: Record<string, SourceMapEntry>;
  readonly fragments: FragmentSource[];
  readonly namer: StateNamer;
  readonly entries = new Map<Block, string>();
  readonly liveness: Liveness;
  readonly pending: Block[] = [];
  uncaughtState?: string;
  /** The ASL Variable that receives an error no catch block handles (each branch has its own: no shadowing in ASL). */
  readonly uncaughtVar: string;

  constructor(
    readonly cfg: Cfg,
    readonly locals: Locals,
    readonly file: string,
    private readonly shared: Shared,
    readonly branch?: BranchMode,
  ) {
    this.liveness = computeLiveness(cfg);
    ({ namer: this.namer, fragments: this.fragments, sourceMap: this.sourceMap } = shared);
    this.uncaughtVar = branch ? locals.temporary("itemError").id : UNCAUGHT;
  }

  /** A map iteration, parallel branch or promise element: a graph of its own, sharing names, fragments and source map. */
  subgraph(cfg: Cfg, mode: BranchMode): StateGraph {
    return new StateBuilder(cfg, this.locals, this.file, this.shared, mode).build();
  }

  build(): StateGraph {
    const body = this.entryOf(this.cfg.entry);
    const marker = this.branch?.marker;
    const startAt = marker ? this.branchMarker(marker, body) : this.branch ? body : this.eventStart(body);
    while (this.pending.length > 0) this.emitBlock(this.pending.shift()!);
    return { startAt, states: Object.fromEntries(this.states), fragments: this.fragments, sourceMap: this.sourceMap };
  }

  /** The handler's event becomes an ASL Variable once, at the start, like the handler's parameter. */
  eventStart(body: string): string {
    const event = this.cfg.params.event;
    if (!event || !this.liveness.liveIn.get(this.cfg.entry)!.has(event)) return body;
    const start = this.namer.name("Start");
    this.states.set(start, { Type: "Pass", Assign: { [event.id]: expression("$states.input") }, Next: body });
    this.reorderFirst(start);
    return start;
  }

  /** A branch starts with a marker state, which names its context in the history and takes in the item. */
  branchMarker(branch: NonNullable<BranchMode["marker"]>, body: string): string {
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
    return start;
  }

  reorderFirst(name: string): void {
    const entries = [...this.states.entries()];
    const first = entries.find(([n]) => n === name)!;
    this.states.clear();
    this.states.set(first[0], first[1]);
    for (const [n, s] of entries) if (n !== name) this.states.set(n, s);
  }

  // ---- naming and entry points ---------------------------------------------------------------

  /** The name of the first state of a block, reserving it now so that edges can point at it. */
  entryOf(block: Block): string {
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

  line(node: Node): number {
    return node.getSourceFile().getLineAndColumnAtPos(node.getStart()).line;
  }

  baseName(block: Block): string {
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

  operationName(op: DurableOp): string {
    // promise.all's own name goes to the marker of its child context.
    if (op.kind === "promise") return `${op.context.name ?? `Promise-${op.combinator}-line-${this.line(op.call)}`}-operations`;
    if (typeof op.name === "string") return op.name;
    const what = { step: "Step", wait: "Wait", waitForCallback: "Callback", waitForCondition: "Condition", invoke: "Invoke", map: "Map", parallel: "Parallel", createCallback: "Callback", promise: "Promise" }[op.kind];
    return `${what}-line-${this.line(op.call)}`;
  }

  locate(name: string, node: Node, extra: Partial<SourceMapEntry> = {}, block?: Block): void {
    const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
    const context = extra.operation && block?.context ? { context: block.context.id } : {};
    this.sourceMap[name] = { file: path.basename(this.file), line, column, ...extra, ...context };
  }

  comment(node: Node): string {
    return `${commentText(path.basename(this.file))}:${this.line(node)}`;
  }

  // ---- blocks --------------------------------------------------------------------------------

  /** A step or callback Task can run the block's code too, when no catch could observe it half-done. */
  mergesIntoOperation(block: Block): boolean {
    const t = block.term;
    if (t.kind !== "op" || !["step", "waitForCallback"].includes(t.op.kind) || this.nameNeedsCode(t.op, block)) return false;
    if (block.code.length === 0) return true;
    const writesLive = this.liveOut(block).size > 0 && [...this.written(block)].some((l) => this.liveOut(block).has(l));
    if (t.op.kind === "waitForCallback") return !writesLive;
    return !writesLive || !block.handler;
  }

  emitBlock(block: Block): void {
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
  emitAssignments(name: string, block: Block, assign: Record<string, string>, next: string): void {
    const at = block.code[0]?.node ?? block.origin;
    const state: AslState = { Type: "Pass", Comment: this.comment(at) };
    if (Object.keys(assign).length > 0) state.Assign = assign;
    state.Next = next;
    this.states.set(name, state);
    this.locate(name, at);
  }

  /** The block's code (and whatever its terminator needs computed) in one fragment Task. */
  emitCodeTask(name: string, block: Block): void {
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
  keptOnThrow(block: Block): Local[] {
    if (!block.handler) return [];
    const declared = new Set(block.code.flatMap((p) => [...p.declares]));
    const handlerReads = this.liveness.liveIn.get(block.handler.entry)!;
    return [...this.written(block)].filter((l) => handlerReads.has(l) && !declared.has(l)).sort((a, b) => a.id.localeCompare(b.id));
  }

  ifThrew(block: Block, at: Node, next: string): string {
    const name = this.namer.name(`If-threw-line-${this.line(at)}`);
    const handler = block.handler!;
    this.states.set(name, {
      Type: "Choice",
      Comment: this.comment(at),
      Choices: [{ Condition: expression(`$exists($states.input.${ReplyField.thrown})`), Assign: { [handler.record.id]: expression(`$states.input.${ReplyField.thrown}`) }, Next: this.entryOf(handler.entry) }],
      Default: next,
    });
    this.locate(name, at);
    return name;
  }

  afterCode(rules: { condition: string; target: Block }[], otherwise: Block, at: Node, what = "Branch"): string {
    const name = this.namer.name(`${what}-line-${this.line(at)}`);
    this.states.set(name, {});
    this.emitChoice(name, rules, otherwise, at);
    return name;
  }

  emitChoice(name: string, rules: { condition: string; target: Block }[], otherwise: Block, at: Node): void {
    this.states.set(name, {
      Type: "Choice",
      Comment: this.comment(at),
      Choices: rules.map((r) => ({ Condition: expression(r.condition), Next: this.entryOf(r.target) })),
      Default: this.entryOf(otherwise),
    });
    this.locate(name, at);
  }

  emitReturn(name: string, block: Block, value: ValueExpr | undefined): void {
    const at = value?.node ?? block.origin;
    this.states.set(name, { Type: "Succeed", Comment: this.comment(at), Output: this.returned(value ? this.valueJsonata(value)! : undefined) });
    this.locate(name, at);
  }

  childContextName(context: { name: string | null; call: Node }): string {
    return context.name ?? `Child-context-line-${this.line(context.call)}`;
  }

  readsOf(locals: Local[]): CodePiece {
    return { text: "", reads: new Set(locals), writes: new Set(), declares: new Set() };
  }

  /** The marker of a child context: it costs one transition and makes the context visible in the history. */
  emitEnter(name: string, block: Block, context: ChildContext, next: Block): void {
    this.states.set(name, { Type: "Pass", Comment: `${this.comment(context.call)} runInChildContext`, Next: this.entryOf(next) });
    this.locate(name, context.call, { operation: { kind: "childContext", name: context.name }, childContext: { id: context.id, parent: context.parent?.id } }, block);
  }

  /** An error leaving a child context becomes a ChildContextError carrying it as cause, as the SDK does. */
  emitWrapChild(name: string, block: Block, context: ChildContext, record: Local): void {
    const { record: target, next } = this.errorGoesTo(block);
    this.states.set(name, {
      Type: "Pass",
      Comment: "wrap the error as ChildContextError",
      Assign: { [target]: expression(wrappedRecord("child", `$${record.id}`)) },
      Next: next,
    });
    this.locate(name, context.call, { failedContext: context.id });
  }

  emitRethrow(name: string, block: Block, record: Local): void {
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

  endState(): string {
    const name = this.namer.name("Done");
    this.states.set(name, { Type: "Succeed", Output: this.returned(undefined) });
    return name;
  }

  /** The Output of a Succeed for a return of `value` (JSONata), or of nothing. */
  returned(value: string | undefined): string | null {
    if (this.branch) return expression(value ? `{"status": "SUCCEEDED", "result": ${value}}` : '{"status": "SUCCEEDED"}');
    return value ? expression(value) : null;
  }

  // ---- durable operations --------------------------------------------------------------------

  emitOperation(name: string, block: Block, op: DurableOp, target: Local | undefined, next: Block, merged: boolean, computed: { seconds?: boolean; name?: boolean } = {}): void {
    const nextState = this.entryOf(next);
    if (op.kind === "promise") return emitCombinator(this, name, block, op, target, nextState);
    const entry: Partial<SourceMapEntry> = { operation: { kind: op.kind, name: typeof op.name === "string" ? op.name : null } };
    if (op.kind === "waitForCondition") return emitCondition(this, name, block, op, target, nextState, entry);
    if (op.kind === "invoke") return emitInvoke(this, name, block, op, target, nextState, entry, computed);
    if (op.kind === "map" || op.kind === "parallel") return emitBatch(this, name, block, op, target, nextState, entry, computed);
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
      return emitCreateCallback(this, name, block, op, target, nextState, entry);
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
      payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
      if (target) assign[target.id] = expression("$states.result.Payload.result");
      const native = nativeRetrier(op.config?.node);
      if (native) state.Retry = [native, ...this.serviceRetry(op.config?.node)];
    } else {
      state.Resource = LAMBDA_INVOKE_WAIT;
      payload[EventField.callbackId] = expression("$states.context.Task.Token");
      payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
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
    if (op.kind === "step" && !nativeRetrier(op.config?.node)) return emitRetryLoop(this, name, block, op, state, entry, fragment.id);
    this.states.set(name, state);
    this.locate(name, op.call, { ...entry, fragment: fragment.id }, block);
  }

  /** Values of the operation that only code can compute: a computed wait, a computed name. */
  operationNeedsCode(op: DurableOp, block: Block): boolean {
    return (
      (op.kind === "wait" && literalDurationSeconds(op.duration.node) === undefined) ||
      this.invokeInputNeedsCode(op, block) ||
      this.nameNeedsCode(op, block) ||
      this.batchNeedsCode(op)
    );
  }

  /** Map items, names and completion thresholds are worked out by code, just before the state. */
  batchNeedsCode(op: DurableOp): boolean {
    return op.kind === "map" || (op.kind === "parallel" && op.config !== undefined);
  }

  /** An invoke input JSONata cannot build exactly (or that this block's code sets) is built by code. */
  invokeInputNeedsCode(op: DurableOp, block: Block): boolean {
    if (op.kind !== "invoke" || !op.input) return false;
    if (!this.valueJsonata(op.input)) return true;
    const setHere = this.written(block);
    return [...op.input.piece.reads].some((l) => setHere.has(l));
  }

  /** A computed name that JSONata cannot reproduce exactly is computed by the code before the operation. */
  nameNeedsCode(op: DurableOp, block?: Block): boolean {
    if (op.name === null || typeof op.name === "string") return false;
    if (op.kind === "wait" || !this.valueJsonata(op.name)) return true;
    // JSONata reads ASL Variables as they are before the state: not what this block's code sets.
    const setHere = block ? this.written(block) : new Set<Local>();
    return [...op.name.piece.reads].some((l) => setHere.has(l));
  }

  /** Only the options whose meaning ASL can carry; custom serdes and the like are refused. */
  checkStepOptions(config: Expression | undefined): void {
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
  serviceRetry(config: Expression | undefined): object[] {
    const atMostOnce = config?.getText().includes("AtMostOncePerRetry");
    return atMostOnce ? [] : [SERVICE_RETRIER];
  }

  applyCallbackTimeouts(state: AslState, config: Expression | undefined): void {
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

  liveOut(block: Block): Set<Local> {
    return this.liveness.liveOut.get(block)!;
  }

  /** What the states after a code Task read: the live locals, and what its own terminator state reads. */
  neededAfter(block: Block): Set<Local> {
    return new Set([...this.liveOut(block), ...terminatorReads(block.term)]);
  }

  /**
   * Locals the block's code may change. Besides assignments, any object or array it reads may be
   * changed in place (`log.push(x)`, `order.total = 3`), so those count as written too.
   */
  written(block: Block): Set<Local> {
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
  inputs(pieces: CodePiece[]): { carried: Local[]; errors: Local[] } {
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

  fragment(id: string, code: CodePiece[], alsoRead: CodePiece[], written: Local[], tail: string, keptOnThrow: Local[] = []): FragmentSource & { carried: Local[] } {
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

  checkCrossable(local: Local): void {
    const type = local.type;
    const at = local.declaration;
    if (!type || !at || local.errorRecord) return;
    const bad = notJson(type);
    if (bad) {
      fail(at, "D2S2005", `\`${local.name}\` is ${bad} and is used across a durable operation, where only JSON values survive`, "recompute it after the operation, or return plain data from a step");
    }
  }

  task(block: Block, fragment: FragmentSource & { carried: Local[] }, written: Local[], next: string, at: Node, kind: "code" | "step" | "callback", keptOnThrow: Local[] = []): AslState {
    const vars: Record<string, string> = {};
    for (const l of fragment.carried) vars[l.id] = expression(`$${l.id}`);
    const state: AslState = {
      Type: "Task",
      Comment: this.comment(at),
      Resource: LAMBDA_INVOKE,
      Arguments: { FunctionName: FRAGMENTS_FUNCTION, Payload: { [EventField.fragment]: fragment.id, [EventField.vars]: vars } },
      Output: expression("$states.result.Payload"),
    };
    const assign: Record<string, string> = {};
    for (const l of written) {
      const value = propertyOf(`$states.result.Payload.${ReplyField.vars}`, l.id);
      // After a caught throw only the kept locals come back; no state reads the others before
      // setting them again (they are not live in the handler), so null stands in for them.
      const thrown = keptOnThrow.length > 0 && !keptOnThrow.includes(l);
      assign[l.id] = expression(thrown ? `$exists($states.result.Payload.${ReplyField.thrown}) ? null : ${value}` : value);
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
  /** Where an error raised in this block goes: its try handler's record and entry, or the uncaught ones. */
  errorGoesTo(block: Block): { record: string; next: string } {
    return block.handler ? { record: block.handler.record.id, next: this.entryOf(block.handler.entry) } : { record: this.uncaughtVar, next: this.uncaught() };
  }

  catcher(kind: ErrorKind, record: string, next: string): object {
    return { ErrorEquals: ["States.ALL"], Assign: { [record]: expression(errorRecordOf(kind)) }, Next: next };
  }

  uncaught(): string {
    if (!this.uncaughtState && this.branch) {
      // The SDK wraps an item's error in ChildContextError; the item ends FAILED with it. An
      // element of promise.all keeps its own error.
      const marker = this.branch.marker;
      this.uncaughtState = this.namer.name(`${this.branch.label}-failed`);
      const r = `$${this.uncaughtVar}`;
      const error = marker ? wrappedRecord("child", r) : r;
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

  valueJsonata(value: ValueExpr): string | undefined {
    if (value.opaque) return value.jsonata;
    return value.jsonata ?? toJsonata(value.node, this.locals);
  }

  conditionJsonata(cond: ValueExpr): string | undefined {
    if (cond.jsonata || cond.opaque) return cond.jsonata;
    const type = cond.node.getType();
    if (!(type.isBoolean() || type.isBooleanLiteral())) return undefined;
    return toJsonata(cond.node, this.locals);
  }
}

export type { TryHandler };

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

function indentText(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
