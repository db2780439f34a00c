import path from "node:path";
import type { Node } from "ts-morph";
import type { Block, Cfg, ChildContext, DurableOp } from "../lower/cfg.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import type { Liveness } from "../analyze/liveness.ts";
import type { CodePiece } from "../analyze/render.ts";
import type { AslState, FragmentTaskState, PassState } from "./asl-types.ts";
import { EMITTERS } from "./emitters.ts";
import { catcher, endedField, ErrorRouter } from "./error-routing.ts";
import { fragmentTask, writeFragment } from "./fragments.ts";
import { expression } from "./jsonata.ts";
import { childContextName, commentText, fallbackBase, lineOf, operationName, StateNamer } from "./names.ts";
import type { BranchMode, Computed, EmittedStates, EmitTools, Fragment, FragmentSource, OperationEmitter, OperationSite, SourceMapEntry, StateGraph } from "./operation-site.ts";
import { pastEmptyJumps } from "./into-next-operation.ts";
import { Selection, type Split } from "./selection.ts";
import { throwIfErrorChoice, type ThrowIfError } from "./throw-if-error.ts";
import { returnsResult } from "./tail-return.ts";

/**
 * Turns the control-flow graph into ASL states and the fragments they invoke. `liveness` covers
 * the handler's graph and every graph nested in it (graph-liveness.ts).
 */
export function buildStates(cfg: Cfg, locals: Locals, file: string, liveness: Liveness): StateGraph {
  const shared: Shared = { namer: new StateNamer(), fragments: [], sourceMap: {}, serdes: {}, selection: new Selection(locals, liveness) };
  return new StateBuilder(cfg, locals, file, shared).build();
}

/** What the graphs of one machine (the handler, and each map function or parallel branch) share: names are unique machine-wide. */
interface Shared {
  namer: StateNamer;
  fragments: FragmentSource[];
  sourceMap: Record<string, SourceMapEntry>;
  serdes: Record<string, string>;
  selection: Selection;
}

/**
 * The builder of one graph (the handler, or a branch): walks its blocks from the entry, names
 * each block's first state when something first points at it, and writes the states that connect
 * them. Durable operations go to their emitters (emitters.ts) through an OperationSite.
 */
class StateBuilder {
  /** In order of first reference; undefined marks a name reserved for a state not yet written. */
  private readonly states = new Map<string, AslState | undefined>();
  private readonly entries = new Map<Block, string>();
  private readonly pending: Block[] = [];
  private readonly namer: StateNamer;
  private readonly sel: Selection;
  private readonly errors: ErrorRouter;
  private readonly out: EmittedStates = {
    put: (name, state) => void this.states.set(name, state),
    locate: (name, node, extra, block) => this.locate(name, node, extra, block),
  };

  constructor(
    private readonly cfg: Cfg,
    private readonly locals: Locals,
    private readonly file: string,
    private readonly shared: Shared,
    private readonly branch?: BranchMode,
  ) {
    ({ namer: this.namer, selection: this.sel } = shared);
    const graph = { out: this.out, namer: this.namer, entryOf: (b: Block) => this.entryOf(b), comment: (n: Node) => this.comment(n) };
    this.errors = new ErrorRouter(graph, branch, branch ? locals.temporary("itemError").id : undefined);
  }

  build(): StateGraph {
    const body = this.entryOf(this.cfg.entry);
    const marker = this.branch?.marker;
    const startAt = marker ? this.branchMarker(marker, body) : this.branch ? body : this.eventStart(body);
    while (this.pending.length > 0) this.emitBlock(this.pending.shift()!);
    const states: Record<string, AslState> = {};
    for (const [name, state] of this.states) {
      if (!state) throw new Error(`internal: the state ${name} was named but never written`);
      states[name] = state;
    }
    return { startAt, states, fragments: this.shared.fragments, sourceMap: this.shared.sourceMap, serdes: this.shared.serdes };
  }

  /** The handler's event becomes an ASL Variable once, at the start, like the handler's parameter. */
  private eventStart(body: string): string {
    const event = this.cfg.params.event;
    if (!event || !this.sel.liveIn(this.cfg.entry).has(event)) return body;
    const start = this.namer.name("Start");
    this.states.set(start, { Type: "Pass", Assign: { [event.id]: expression("$states.input") }, Next: body });
    this.reorderFirst(start);
    return start;
  }

  /** A branch starts with a marker state, which names its context in the history and takes in the item. */
  private branchMarker(branch: NonNullable<BranchMode["marker"]>, body: string): string {
    const start = this.namer.name(branch.name);
    const assign: Record<string, string> = {};
    const { item, index } = this.cfg.params;
    const live = this.sel.liveIn(this.cfg.entry);
    if (item && live.has(item)) assign[item.id] = expression("$states.input.value");
    if (index && live.has(index)) assign[index.id] = expression("$states.input.index");
    const marker: PassState = { Type: "Pass", Comment: `${this.comment(branch.context.call)} ${branch.nameFromInput ? "map item" : "parallel branch"}` };
    if (Object.keys(assign).length > 0) marker.Assign = assign;
    marker.Next = body;
    this.states.set(start, marker);
    this.reorderFirst(start);
    const name = branch.nameFromInput ? null : branch.context.name;
    const operation = { kind: "childContext" as const, name, ...(branch.nameFromInput ? { nameFrom: "input" as const } : {}) };
    this.locate(start, branch.context.call, { operation, childContext: { id: branch.context.id } });
    return start;
  }

  private reorderFirst(name: string): void {
    const entries = [...this.states.entries()];
    const first = entries.find(([n]) => n === name)!;
    this.states.clear();
    this.states.set(first[0], first[1]);
    for (const [n, s] of entries) if (n !== name) this.states.set(n, s);
  }

  /** The name of the first state of a block, reserving it now so that edges can point at it. */
  private entryOf(start: Block): string {
    const block = pastEmptyJumps(start);
    const existing = this.entries.get(block);
    if (existing) return existing;
    const name = this.reserve(this.sel.baseName(block));
    this.entries.set(block, name);
    this.pending.push(block);
    return name;
  }

  /** A fresh name whose state comes later: its place in the definition is where it was first named. */
  private reserve(base: string): string {
    const name = this.namer.name(base);
    this.states.set(name, undefined);
    return name;
  }

  private locate(name: string, node: Node, extra: Partial<SourceMapEntry> = {}, block?: Block): void {
    const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
    // A promise combinator's Parallel (`siblings`) also says its context: its operations are that context's.
    const context = (extra.operation || extra.siblings) && block?.context ? { context: block.context.id } : {};
    this.shared.sourceMap[name] = { file: path.basename(this.file), line, column, ...extra, ...context };
  }

  private comment(node: Node): string {
    return `${commentText(path.basename(this.file))}:${lineOf(node)}`;
  }

  // ---- blocks --------------------------------------------------------------------------------

  private emitBlock(block: Block): void {
    const name = this.entries.get(block)!;
    const t = block.term;
    if (t.kind === "op" && this.sel.mergesIntoOperation(block)) return this.emitOperation(name, block, t.op, t.target, t.next, true);
    const rethrown = this.sel.rethrown(block);
    if (rethrown) {
      const rethrow = this.reserve(`Rethrow-line-${lineOf(block.code.at(-1)!.node!)}`);
      this.errors.rethrow(rethrow, block, rethrown.record);
      return this.emitGuardedAssignments(name, block, rethrown, rethrow, "Code");
    }
    const throwing = this.sel.throwsIfError(block);
    if (throwing) return this.emitThrowIfError(name, block, throwing);
    const split = this.sel.split(block);
    if (split) return this.emitSplit(name, block, split);
    if (block.code.length === 0) {
      const guardedInputs = t.kind === "op" ? this.sel.guardedInputs(t.op, block) : undefined;
      if (t.kind === "op" && guardedInputs) return this.emitGuardedInputs(name, block, t.op, t.target, t.next, guardedInputs);
      if (t.kind === "op" && !this.sel.operationNeedsCode(t.op, block)) return this.emitOperation(name, block, t.op, t.target, t.next, false);
      const returned = t.kind === "return" && t.value ? this.sel.valueExact(t.value) : undefined;
      if (t.kind === "return" && (!t.value || returned)) {
        const at = t.value?.node ?? block.origin;
        if (!returned?.guard) return this.emitReturn(name, block, returned?.jsonata, at);
        return this.emitGuarded(name, block, returned.guard, `Return-line-${lineOf(at)}`, `Compute-result-line-${lineOf(at)}`, (ok) => this.emitReturn(ok, block, returned.jsonata, at));
      }
      if (t.kind === "rethrow") return this.errors.rethrow(name, block, t.record);
      if (t.kind === "wrapChild") return this.errors.wrapChild(name, block, t.context, t.record);
      if (t.kind === "enter" && !t.context.computedName) return this.emitEnter(name, block, t.context, t.next);
      const condition = t.kind === "branch" ? this.sel.conditionJsonata(t.cond) : undefined;
      if (t.kind === "branch" && condition) {
        if (!condition.guard) return this.emitChoice(name, [{ condition: condition.jsonata, target: t.then }], t.else, t.cond.node);
        // Where the guard does not hold, a fragment evaluates the condition as JavaScript does.
        const guarded = [
          { condition: `(${condition.guard}) and (${condition.jsonata})`, target: t.then },
          { condition: condition.guard, target: t.else },
        ];
        const fallback = this.reserve(`Evaluate-line-${lineOf(t.cond.node)}`);
        this.emitChoice(name, guarded, fallback, t.cond.node);
        return this.emitCodeTask(fallback, block);
      }
      const cases = t.kind === "switch" ? this.sel.switchJsonata(t) : undefined;
      if (t.kind === "switch" && cases) {
        const { guard, conditions } = cases;
        const rules = conditions.map((condition, i) => ({ condition: guard ? `(${guard}) and ${condition}` : condition, target: t.targets[i]! }));
        if (!guard) return this.emitChoice(name, rules, t.otherwise, t.discriminant.node);
        // Where the guard does not hold, a fragment picks the case as JavaScript does.
        const fallback = this.reserve(`Evaluate-line-${lineOf(t.discriminant.node)}`);
        this.emitChoice(name, [...rules, { condition: guard, target: t.otherwise }], fallback, t.discriminant.node);
        return this.emitCodeTask(fallback, block);
      }
    }
    const joined = this.sel.intoNextStep(block);
    if (joined?.term.kind === "op") return this.emitOperation(name, joined, joined.term.op, joined.term.target, joined.term.next, true);
    if (t.kind === "goto" || t.kind === "open") {
      const assign = this.sel.assignments(block);
      if (assign) {
        const next = t.kind === "goto" ? this.entryOf(t.target) : this.endState();
        return this.emitGuardedAssignments(name, block, assign, next, "Code");
      }
    }
    this.emitCodeTask(name, block);
  }

  /**
   * A Choice that checks the guard under which a state's JSONata is exact (jsonata.ts): the state
   * where it holds, else the block's code in a fragment Task, which computes the same as JavaScript.
   */
  private emitGuarded(name: string, block: Block, guard: string, okBase: string, fallbackBase: string, emitOk: (ok: string) => void): void {
    const ok = this.reserve(okBase);
    const fallback = this.reserve(fallbackBase);
    const at = block.code[0]?.node ?? block.origin;
    this.states.set(name, { Type: "Choice", Comment: this.comment(at), Choices: [{ Condition: expression(guard), Next: ok }], Default: fallback });
    this.locate(name, at);
    emitOk(ok);
    this.emitCodeTask(fallback, block);
  }

  /**
   * An operation whose computed name or invoke input is exact JSONata only under a guard: a
   * Choice rule checks it and hands them to the operation's state as its input, as the code Task
   * of the Default (where the guard does not hold) does. No Lambda invocation in the common case.
   */
  private emitGuardedInputs(name: string, block: Block, op: DurableOp, target: Local | undefined, next: Block, inputs: { guard: string; output: string; computed: Computed }): void {
    const operationState = this.reserve(operationName(op));
    const fallback = this.reserve(`Code-line-${lineOf(op.call)}`);
    const rule = { Condition: expression(inputs.guard), Output: expression(inputs.output), Next: operationState };
    this.states.set(name, { Type: "Choice", Comment: this.comment(op.call), Choices: [rule], Default: fallback });
    this.locate(name, op.call);
    this.emitOperation(operationState, block, op, target, next, false, { name: inputs.computed.name, seconds: inputs.computed.seconds });
    this.emitCodeTask(fallback, block, operationState);
  }

  /**
   * A block split into its assignments and the rest (Selection.split): a Pass, or where the
   * assignments are exact only under a guard, a Choice whose rule assigns them; its Default runs
   * the whole block in a fragment, as before.
   */
  private emitSplit(name: string, block: Block, split: Split): void {
    this.emitGuardedAssignments(name, block, split, this.entryOf(split.rest), fallbackBase(block.term), split.fallback);
  }

  /** `b.throwIfError()` (throw-if-error.ts): no Lambda invocation where an item failed, nor where none did. */
  private emitThrowIfError(name: string, block: Block, throwing: ThrowIfError): void {
    const at = block.code[0]!.node!;
    const [thrown, rest] = [this.reserve(`Throw-${throwing.owner}-error`), this.entryOf(throwing.rest)];
    const fallback = this.reserve(`${fallbackBase(block.term)}-line-${lineOf(at)}`);
    this.states.set(name, throwIfErrorChoice(throwing, { thrown, rest, fallback }, this.comment(at)));
    this.locate(name, at);
    this.errors.rethrow(thrown, block, throwing.record, "throw the first failed item's error");
    this.emitCodeTask(fallback, block);
  }

  /**
   * Assignments (assign.ts) as a Pass, or, where they are exact only under a guard, as the Assign
   * of the Choice rule that checks it (one transition either way); the Choice's Default runs the
   * whole block in a fragment Task named `<fallbackBase>-line-N`.
   */
  private emitGuardedAssignments(name: string, block: Block, assignments: { assign: Record<string, string>; guard?: string }, next: string, fallbackBase: string, fallbackBlock = block): void {
    if (!assignments.guard) return this.emitAssignments(name, block, assignments.assign, next);
    const at = block.code[0]?.node ?? block.origin;
    const fallback = this.reserve(`${fallbackBase}-line-${lineOf(at)}`);
    const rule = { Condition: expression(assignments.guard), ...(Object.keys(assignments.assign).length > 0 ? { Assign: assignments.assign } : {}), Next: next };
    this.states.set(name, { Type: "Choice", Comment: this.comment(at), Choices: [rule], Default: fallback });
    this.locate(name, at);
    this.emitCodeTask(fallback, fallbackBlock);
  }

  /** Simple assignments as a Pass state: no Lambda invocation (transform/assign.ts). */
  private emitAssignments(name: string, block: Block, assign: Record<string, string>, next: string): void {
    const at = block.code[0]?.node ?? block.origin;
    const state: PassState = { Type: "Pass", Comment: this.comment(at) };
    if (Object.keys(assign).length > 0) state.Assign = assign;
    state.Next = next;
    this.states.set(name, state);
    this.locate(name, at);
  }

  /** The block's code (and whatever its terminator needs computed) in one fragment Task. */
  private emitCodeTask(name: string, block: Block, operationState?: string): void {
    const t = block.term;
    const needed = this.sel.neededAfter(block);
    // The operation's target may be read by the operation itself (`b = await context.step(`s-${b}`, ...)`): hand it on too.
    const written = [...this.sel.written(block)].filter((l) => needed.has(l));
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
        // `await`: an async function's `return promise` resolves it (`return Promise.resolve(x)` gives x).
        tail = t.value ? `value: ${this.branch ? "$d.json" : "$d.result"}(await (${t.value.piece.text}))` : "";
        const at = t.value?.node ?? block.origin;
        next = this.namer.name(`Return-line-${lineOf(at)}`);
        this.states.set(next, { Type: "Succeed", Comment: this.comment(at), Output: this.returned(t.value ? "$states.input.value" : undefined) });
        this.locate(next, at);
        break;
      }
      case "op": {
        const inputs = this.sel.operationInputs(t.op, block);
        pieces.push(...inputs.pieces);
        tail = inputs.tail;
        // The operation's state may exist already (emitGuardedName): the code only computes its inputs.
        next = operationState ?? this.reserve(operationName(t.op));
        if (!operationState) this.emitOperation(next, block, t.op, t.target, t.next, false, inputs.computed);
        break;
      }
      case "rethrow":
        next = this.reserve(`Rethrow-line-${lineOf(block.origin)}`);
        this.errors.rethrow(next, block, t.record);
        break;
      case "enter":
        if (t.context.computedName) {
          pieces.push(t.context.computedName.piece);
          tail = `name: String(${t.context.computedName.piece.text})`;
        }
        next = this.reserve(childContextName(t.context));
        this.emitEnter(next, block, t.context, t.next);
        break;
      case "wrapChild":
        throw new Error("internal: a child context's error wrapper has no code");
    }
    const keptOnThrow = this.sel.keptOnThrow(block);
    const fragment = writeFragment(this.shared.fragments, name, block.code, [...pieces, this.sel.carried(written)], written, tail, keptOnThrow);
    const at = block.code[0]?.node ?? block.origin;
    const after = keptOnThrow.length > 0 ? this.errors.ifThrew(block, at, next!) : next!;
    this.states.set(name, this.task(block, fragment, written, after, at, "code", keptOnThrow));
    this.locate(name, at, { fragment: fragment.id });
  }

  private task(block: Block, fragment: Fragment, written: Local[], next: string, at: Node, kind: "code" | "step" | "codeThenStep" | "callback", keptOnThrow: Local[] = []): FragmentTaskState {
    return fragmentTask(fragment, written, next, this.comment(at), kind, this.errors.taskCatcher(block, kind), keptOnThrow);
  }

  private afterCode(rules: { condition: string; target: Block }[], otherwise: Block, at: Node, what: string): string {
    const name = this.reserve(`${what}-line-${lineOf(at)}`);
    this.emitChoice(name, rules, otherwise, at);
    return name;
  }

  private emitChoice(name: string, rules: { condition: string; target: Block }[], otherwise: Block | string, at: Node): void {
    this.states.set(name, {
      Type: "Choice",
      Comment: this.comment(at),
      Choices: rules.map((r) => ({ Condition: expression(r.condition), Next: this.entryOf(r.target) })),
      Default: typeof otherwise === "string" ? otherwise : this.entryOf(otherwise),
    });
    this.locate(name, at);
  }

  private emitReturn(name: string, block: Block, value: string | undefined, at: Node): void {
    this.states.set(name, { Type: "Succeed", Comment: this.comment(at), Output: this.returned(value) });
    this.locate(name, at);
  }

  /** The marker of a child context: it costs one transition and makes the context visible in the history. */
  private emitEnter(name: string, block: Block, context: ChildContext, next: Block): void {
    this.states.set(name, { Type: "Pass", Comment: `${this.comment(context.call)} runInChildContext`, Next: this.entryOf(next) });
    // A computed name is in the marker's input, where the code before put it.
    const operation = { kind: "childContext" as const, name: context.name, ...(context.computedName ? { nameFrom: "input" as const } : {}) };
    this.locate(name, context.call, { operation, childContext: { id: context.id, parent: context.parent?.id } }, block);
  }

  private endState(): string {
    const name = this.namer.name("Done");
    this.states.set(name, { Type: "Succeed", Output: this.returned(undefined) });
    return name;
  }

  /** The Output of a Succeed for a return of `value` (JSONata), or of nothing. */
  private returned(value: string | undefined): string | null {
    if (this.branch) return expression(`{"status": "SUCCEEDED"${value ? `, "result": ${value}` : ""}${endedField(this.branch)}}`);
    return value ? expression(value) : null;
  }

  // ---- durable operations --------------------------------------------------------------------

  /** Hands the operation to its emitter, with everything it needs to know about the place it is at. */
  private emitOperation(name: string, block: Block, op: DurableOp, target: Local | undefined, next: Block, merged: boolean, computed: Computed = {}): void {
    const returned = returnsResult(op, target, next);
    // Named only when read: a step whose Task ends the graph (`returns`) has no state after it.
    let nextState: string | undefined;
    const entryOfNext = () => (nextState ??= this.entryOf(next));
    const entry: Partial<SourceMapEntry> = op.kind === "promise" ? {} : { operation: { kind: op.kind, name: typeof op.name === "string" ? op.name : null } };
    const site: OperationSite = {
      op,
      block,
      name,
      target,
      get next() {
        return entryOfNext();
      },
      ...(returned ? { returns: { output: (value: string) => this.returned(value)!, as: this.branch ? ("json" as const) : ("result" as const) } } : {}),
      liveAfter: this.sel.liveOut(block),
      merged,
      computed: { ...computed, payload: this.sel.invokeInputNeedsCode(op, block), functionName: this.sel.invokeFunctionNeedsCode(op, block), batchInState: this.sel.batchInState(op) },
      entry,
      route: this.errors.routeOf(block),
      namer: this.namer,
      locals: this.locals,
      out: this.out,
      tools: this.tools(block),
    };
    (EMITTERS[op.kind] as OperationEmitter)(site);
  }

  private tools(block: Block): EmitTools {
    return {
      comment: (node) => this.comment(node),
      jsonata: (value) => this.sel.valueJsonata(value),
      name: (value) => this.sel.nameJsonata(value),
      seconds: (op) => {
        const exact = this.sel.secondsExact(op);
        return exact && !exact.guard ? exact.jsonata : undefined;
      },
      written: (b) => this.sel.written(b),
      fragment: (id, code, alsoRead, written, tail) => writeFragment(this.shared.fragments, id, code, [...alsoRead, this.sel.carried(written)], written, tail),
      task: (fragment, written, next, at, kind) => this.task(block, fragment, written, next, at, kind),
      catcher: (kind) => catcher(kind, this.errors.routeOf(block)),
      serdes: (key, text) => void (this.shared.serdes[key] = text),
      subgraph: (cfg, mode) => this.locals.inScope(cfg.scope, () => new StateBuilder(cfg, this.locals, this.file, this.shared, mode).build()),
    };
  }
}
