import { Node } from "ts-morph";
import type { Block, DurableOp, ValueExpr } from "../lower/cfg.ts";
import { isUntouchedCatchBinding } from "./caught.ts";
import { caughtGuard, caughtMessageGuard, rethrownCodeGuard } from "./jsonata-exact.ts";
import { Aliases } from "../analyze/aliases.ts";
import { emptyPiece, type CodePiece } from "../analyze/render.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import { terminatorReads, type Liveness } from "../analyze/liveness.ts";
import { isPrimitiveType } from "../analyze/render.ts";
import { assignmentsOf } from "./assign.ts";
import { batchInputsJsonata } from "./batch-inputs.ts";
import { throwIfErrorOf, type ThrowIfError } from "./throw-if-error.ts";
import { conditionJsonata, durationJsonata, joinGuards, localJsonata, stringJsonata, switchJsonata, valueJsonata, type Exact } from "./jsonata.ts";
import { childContextName, lineOf, operationName } from "./names.ts";
import type { Computed } from "./operation-site.ts";
import { joinedWithNextOperation } from "./into-next-operation.ts";
import { once } from "./once.ts";
import { timeoutsAtRunTime, timeoutsCode } from "./options.ts";
import { literalDurationSeconds } from "./retry.ts";
import { environmentRead } from "../parse/environment.ts";
import { knownString } from "../parse/known-values.ts";

/**
 * State selection: which code becomes JSONata in ASL (a Pass's Assign, a Choice's Condition, a
 * field of the operation's state) and which runs in a fragment Task; when a block's code can
 * share the Task of the operation after it. Reads the liveness computed before the transform.
 */
export class Selection {
  private readonly aliases: Aliases;
  private readonly splits = new Map<Block, Split | null>();
  private readonly joined = new Map<Block, Block | null>();
  private readonly throwIfErrors = new Map<Block, ThrowIfError | null>();

  constructor(
    readonly locals: Locals,
    private readonly liveness: Liveness,
  ) {
    // The liveness covers every block of the handler and of the graphs nested in it.
    this.aliases = new Aliases(liveness.liveIn.keys(), locals);
    // Locals that share an object changed in place are encoded together by the fragment that
    // writes them (not as plain JSON), and a JSONata Pass would copy the object: code only.
    for (const l of this.aliases.allShared()) {
      l.codeOnly = true;
      l.batch = false;
    }
  }

  liveIn(block: Block): Set<Local> {
    return this.liveness.liveIn.get(block)!;
  }

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
    this.sharedHere(block).forEach((l) => out.add(l));
    return out;
  }

  /**
   * The locals that share an object changed in place (analyze/aliases.ts) with one the block's
   * code uses, and that exist there (live on entry, or declared by the block): the block's
   * fragment carries and writes back all of them, so the run-time encoding of the locals one
   * fragment writes keeps them one object.
   */
  sharedHere(block: Block): Set<Local> {
    const declared = new Set(block.code.flatMap((p) => [...p.declares]));
    const used = block.code.flatMap((p) => [...p.reads, ...p.writes, ...p.declares]);
    const live = this.liveIn(block);
    return new Set(used.flatMap((l) => this.aliases.sharedWith(l)).filter((l) => live.has(l) || declared.has(l)));
  }

  /** A piece that reads `written`: given to a fragment as also read, it carries in the shared locals it writes back without using them. */
  carried(written: Local[]): CodePiece {
    const piece = emptyPiece();
    written.forEach((l) => piece.reads.add(l));
    return piece;
  }

  /** Explicit JSONata the compiler made (a loop's `$count($items)`) cannot read a shared local either: it holds the encoded group. */
  private readsShared(value: ValueExpr): boolean {
    return [...value.piece.reads].some((l) => this.aliases.sharedWith(l).length > 0);
  }

  /** Simple assignments to live locals, as a Pass state's Assign (assign.ts), or undefined. */
  assignments(block: Block): { assign: Record<string, string>; guard?: string } | undefined {
    return assignmentsOf(block.code, this.locals, this.liveOut(block));
  }

  /**
   * Locals the block's code may change that its catch (or finally) reads. A Task that fails
   * assigns nothing, so such a block's fragment catches its own error and returns it with these
   * values (`$d.threw`); error-routing.ts `ifThrew` then takes the error to the handler, as the
   * Catch would have. Locals declared in the block are out of the handler's scope and never kept.
   */
  keptOnThrow(block: Block): Local[] {
    if (!block.handler) return [];
    const declared = new Set(block.code.flatMap((p) => [...p.declares]));
    const handlerReads = this.liveIn(block.handler.entry);
    return [...this.written(block)].filter((l) => handlerReads.has(l) && !declared.has(l)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A step or callback Task can run the block's code too, when no catch could observe it half-done. */
  mergesIntoOperation(block: Block): boolean {
    const t = block.term;
    // The Task's timeouts are read as it starts: code computed at run time must run before it.
    if (t.kind !== "op" || !["step", "waitForCallback"].includes(t.op.kind) || this.nameNeedsCode(t.op, block) || this.secondsNeedCode(t.op)) return false;
    if (block.code.length === 0) return true;
    // A retried attempt runs the Task's fragment again: a log line of the code before the step would be written again.
    if (block.code.some((p) => /\$d\.context\b/.test(p.text))) return false;
    const writesLive = this.liveOut(block).size > 0 && [...this.written(block)].some((l) => this.liveOut(block).has(l));
    if (t.op.kind === "waitForCallback") return !writesLive;
    return !writesLive || !block.handler;
  }

  /** The block joined with the step or waitForCallback it only jumps on to (into-next-operation.ts), or undefined. */
  intoNextStep(block: Block): Block | undefined {
    const register = (joined: Block, liveIn: Set<Local>, liveOut: Set<Local>) => void (this.liveness.liveIn.set(joined, liveIn), this.liveness.liveOut.set(joined, liveOut));
    return once(this.joined, block, () => joinedWithNextOperation(block, this, register));
  }

  /** Values of the operation that only code can compute: a computed wait, a computed name. */
  operationNeedsCode(op: DurableOp, block: Block): boolean {
    return this.secondsNeedCode(op, block) || this.invokeInputNeedsCode(op, block) || this.invokeFunctionNeedsCode(op, block) || this.nameNeedsCode(op, block) || this.batchNeedsCode(op);
  }

  /**
   * A computed wait duration needs code unless JSONata adds it up exactly for any input
   * (jsonata.ts durationJsonata) and no code of the block runs before the Wait (it might set what
   * the duration reads; a block of simple assignments is split first, Selection.split). Where
   * it is exact only under a guard, a Choice hands it on (guardedInputs), and its Default runs
   * the code that computes it. A callback's timeouts that only the run knows are computed by code.
   */
  secondsNeedCode(op: DurableOp, block?: Block): boolean {
    if (op.kind === "waitForCallback" || (op.kind === "createCallback" && !op.created && !op.stage)) return timeoutsAtRunTime(op.config?.node);
    if (op.kind !== "wait" || literalDurationSeconds(op.duration.node) !== undefined) return false;
    const exact = this.secondsExact(op);
    return exact === undefined || exact.guard !== undefined || (block !== undefined && block.code.length > 0);
  }

  /** The seconds of a computed wait duration as JSONata, with its guard, where exact. */
  secondsExact(op: DurableOp): Exact | undefined {
    if (op.kind !== "wait" || literalDurationSeconds(op.duration.node) !== undefined || this.readsShared(op.duration)) return undefined;
    return durationJsonata(op.duration.node, this.locals);
  }

  /** Map items, names and completion thresholds are worked out by code, just before the state, unless JSONata computes them (batchInputs). */
  batchNeedsCode(op: DurableOp): boolean {
    return (op.kind === "map" || (op.kind === "parallel" && (op.config !== undefined || op.items !== undefined))) && this.batchInputs(op) === undefined;
  }

  /** The items and thresholds of a map or parallel with options as JSONata (batch-inputs.ts), with their guard. */
  batchInputs(op: DurableOp): Exact | undefined {
    if ((op.kind !== "map" && op.kind !== "parallel") || (op.kind === "parallel" && op.config === undefined)) return undefined;
    // Branches built by the handler's own items.map(...) are mapped by code (lower/built-branches.ts).
    if (op.kind === "parallel" && op.items !== undefined) return undefined;
    if ([op.items, op.config].some((v) => v && (this.readsShared(v) || v.jsonata || v.opaque))) return undefined;
    const inputs = batchInputsJsonata(op, this.locals);
    if (!inputs) return undefined;
    const guard = joinGuards(inputs.guards);
    return guard === undefined ? { jsonata: inputs.jsonata } : { jsonata: inputs.jsonata, guard, guards: [...new Set(inputs.guards)] };
  }

  /** The batch inputs as JSONata needing no guard: the state computes them itself. */
  batchInState(op: DurableOp): string | undefined {
    const inputs = this.batchInputs(op);
    return inputs && !inputs.guard ? inputs.jsonata : undefined;
  }

  /** An invoke input JSONata cannot build exactly (or that this block's code sets) is built by code. */
  invokeInputNeedsCode(op: DurableOp, block: Block): boolean {
    if (op.kind !== "invoke" || !op.input) return false;
    if (this.valueJsonata(op.input) === undefined) return true;
    const setHere = this.written(block);
    return [...op.input.piece.reads].some((l) => setHere.has(l));
  }

  /**
   * An invoked function chosen at run time (not fixed at build time, not named by the
   * environment) whose name JSONata cannot read exactly (or that this block's code sets).
   */
  invokeFunctionNeedsCode(op: DurableOp, block: Block): boolean {
    if (op.kind !== "invoke" || knownString(op.functionId.node) !== undefined || environmentRead(op.functionId.node) !== undefined) return false;
    if (this.valueJsonata(op.functionId) === undefined) return true;
    const setHere = this.written(block);
    return [...op.functionId.piece.reads].some((l) => setHere.has(l));
  }

  /** A computed name that JSONata cannot reproduce exactly is computed by the code before the operation. */
  nameNeedsCode(op: DurableOp, block?: Block): boolean {
    if (op.name === null || typeof op.name === "string") return false;
    if (op.kind === "wait" || this.nameJsonata(op.name) === undefined) return true;
    // JSONata reads ASL Variables as they are before the state: not what this block's code sets.
    const setHere = block ? this.written(block) : new Set<Local>();
    return [...op.name.piece.reads].some((l) => setHere.has(l));
  }

  /**
   * What the code Task before an operation computes for it (operationNeedsCode): the pieces its
   * fragment reads and the fields of its result, which the operation's state reads as
   * `$states.input.<field>`.
   */
  operationInputs(op: DurableOp, block: Block): { pieces: CodePiece[]; tail: string; computed: Computed } {
    const pieces: CodePiece[] = [];
    const tails: string[] = [];
    const computed: Computed = { seconds: this.secondsNeedCode(op, block), name: this.nameNeedsCode(op, block) };
    if (computed.seconds && op.kind === "wait") {
      pieces.push(op.duration.piece);
      tails.push(`seconds: $d.seconds(${op.duration.piece.text})`);
    }
    if (computed.seconds && (op.kind === "waitForCallback" || op.kind === "createCallback")) {
      pieces.push(op.config!.piece);
      tails.push(`timeouts: ${timeoutsCode(op.config!.piece.text)}`);
    }
    if (computed.name) {
      const name = op.name as ValueExpr;
      pieces.push(name.piece);
      tails.push(`name: String(${name.piece.text})`);
    }
    if (op.kind === "map" || op.kind === "parallel") {
      const parts = [op.items?.piece, op.config?.piece].filter((p) => p !== undefined);
      pieces.push(...parts);
      tails.push(`batch: $d.batchInput(${op.items?.piece.text ?? "[]"}, ${op.config?.piece.text ?? "undefined"}, "${op.kind}")`);
    }
    if (this.invokeFunctionNeedsCode(op, block) && op.kind === "invoke") {
      computed.functionName = true;
      pieces.push(op.functionId.piece);
      tails.push(`functionName: $d.json(${op.functionId.piece.text})`);
    }
    if (this.invokeInputNeedsCode(op, block) && op.kind === "invoke") {
      pieces.push(op.input!.piece);
      tails.push(`payload: $d.json(${op.input!.piece.text})`);
    }
    return { pieces, tail: tails.join(", "), computed };
  }

  /**
   * A block whose code is only simple assignments, before a terminator that then needs no code
   * (a condition, a switch, a return, an operation whose inputs are exact JSONata): the
   * assignments go first (a Pass, or the Assign of the Choice rule that checks their guard), then
   * the terminator's own states, as `rest`, the same block without its code. No Lambda
   * invocation, and as many transitions as the fragment Task and the state after it.
   */
  split(block: Block): Split | undefined {
    return once(this.splits, block, () => this.findSplit(block));
  }

  private findSplit(block: Block): Split | undefined {
    const t = block.term;
    if (block.code.length === 0 || t.kind === "goto" || t.kind === "open" || t.kind === "wrapChild") return undefined;
    if (t.kind === "op" && this.mergesIntoOperation(block)) return undefined;
    const after = this.liveOut(block);
    const assignments = assignmentsOf(block.code, this.locals, new Set([...after, ...terminatorReads(t)]));
    if (!assignments) return undefined;
    const rest: Block = { ...block, code: [] };
    this.liveness.liveIn.set(rest, new Set([...after, ...terminatorReads(t)]));
    this.liveness.liveOut.set(rest, after);
    if (!this.needsNoCode(rest)) return undefined;
    // A Map or Parallel is not emitted twice (its iterations are graphs): where the guard fails, the code runs and goes on to `rest`.
    if (t.kind !== "op" || (t.op.kind !== "map" && t.op.kind !== "parallel")) return { ...assignments, rest };
    const codeThenRest: Block = { ...block, term: { kind: "goto", target: rest } };
    this.liveness.liveIn.set(codeThenRest, this.liveIn(block));
    this.liveness.liveOut.set(codeThenRest, this.liveIn(rest));
    return { ...assignments, rest, fallback: codeThenRest };
  }

  /** Whether a block without code is emitted without a fragment (states.ts emitBlock makes the same choices). */
  private needsNoCode(block: Block): boolean {
    const t = block.term;
    switch (t.kind) {
      case "op":
        return this.mergesIntoOperation(block) ? false : this.guardedInputs(t.op, block) !== undefined || !this.operationNeedsCode(t.op, block);
      case "return":
        return !t.value || this.valueExact(t.value) !== undefined;
      case "branch":
        return this.conditionJsonata(t.cond) !== undefined;
      case "switch":
        return this.switchJsonata(t) !== undefined;
      case "rethrow":
      case "enter":
        return true;
      default:
        return false;
    }
  }

  /**
   * A block that ends by throwing a caught error on (`throw error` in its catch block, after
   * simple assignments): where the error record decides the error (caught.ts, jsonata-exact.ts
   * caughtGuard), the record itself goes on, as a rethrow after a finally does; else the
   * fragment throws it.
   */
  rethrown(block: Block): { assign: Record<string, string>; guard: string; record: Local } | undefined {
    const last = block.code.at(-1)?.node;
    if (!last || !Node.isThrowStatement(last)) return undefined;
    let thrown: Node = last.getExpression();
    while (Node.isParenthesizedExpression(thrown) || Node.isAsExpression(thrown) || Node.isNonNullExpression(thrown)) thrown = thrown.getExpression();
    const local = Node.isIdentifier(thrown) ? this.locals.resolve(thrown) : undefined;
    if (!local?.errorRecord || !isUntouchedCatchBinding(local)) return undefined;
    const handlerReads = block.handler ? this.liveIn(block.handler.entry) : new Set<Local>();
    const assignments = assignmentsOf(block.code.slice(0, -1), this.locals, new Set([...this.liveOut(block), ...handlerReads]));
    if (!assignments) return undefined;
    const r = `$${local.errorRecord.id}`;
    const guard = joinGuards([...(assignments.guards ?? []), `((${caughtGuard(r)} and ${caughtMessageGuard(r)}) or ${rethrownCodeGuard(r)})`])!;
    return { assign: assignments.assign, guard, record: local.errorRecord };
  }

  /** A block whose code starts with `b.throwIfError()` (throw-if-error.ts), found once per block. */
  throwsIfError(block: Block): ThrowIfError | undefined {
    return once(this.throwIfErrors, block, () => throwIfErrorOf(block, this.locals, this.liveness));
  }

  /** A switch's cases as Choice conditions (jsonata.ts switchJsonata), or undefined. */
  switchJsonata(t: Extract<Block["term"], { kind: "switch" }>): { conditions: string[]; guard?: string } | undefined {
    const values = [t.discriminant, ...t.cases];
    if (values.some((v) => this.readsShared(v) || v.jsonata || v.opaque)) return undefined;
    return switchJsonata(t.discriminant.node, t.cases.map((c) => c.node), this.locals);
  }

  /** A value's JSONata and the guard under which it is exact (jsonata.ts). */
  valueExact(value: ValueExpr): Exact | undefined {
    if (this.readsShared(value)) return undefined;
    // A temporary standing for the value (`return await context.step(...)`) is read as that local.
    if (value.opaque && value.jsonata === undefined) {
      const reads = [...value.piece.reads];
      return reads.length === 1 && value.piece.text === reads[0]!.id ? localJsonata(reads[0]!) : undefined;
    }
    // The compiler's own JSONata reads what its own states wrote (for-of's item list is always an array).
    if (value.jsonata || value.opaque) return value.jsonata === undefined ? undefined : { jsonata: value.jsonata };
    return valueJsonata(value.node, this.locals);
  }

  /** A value's JSONata where it is exact for any input, with no guard: a field of an operation's state, which no Choice precedes. */
  valueJsonata(value: ValueExpr): string | undefined {
    const exact = this.valueExact(value);
    return exact && !exact.guard ? exact.jsonata : undefined;
  }

  /** An operation's computed name: `String(value)`, where that is exact for any input. */
  nameJsonata(value: ValueExpr): string | undefined {
    if (value.jsonata || value.opaque) return this.valueJsonata(value);
    const exact = stringJsonata(value.node, this.locals);
    return exact && !exact.guard ? exact.jsonata : undefined;
  }

  /**
   * The inputs of an operation that follows no code and needs code for nothing else, when its
   * computed name or invoke input is exact JSONata only under a guard: a Choice checks the guard
   * and hands them on as the operation's input, `output` (states.ts emitGuardedInputs).
   */
  guardedInputs(op: DurableOp, block: Block): { guard: string; output: string; computed: Computed } | undefined {
    const secondsOutOfReach = op.kind === "wait" && literalDurationSeconds(op.duration.node) === undefined && !this.secondsExact(op);
    const timeoutsOutOfReach = (op.kind === "waitForCallback" || op.kind === "createCallback") && timeoutsAtRunTime(op.config?.node);
    if (block.code.length > 0 || secondsOutOfReach || timeoutsOutOfReach || this.batchNeedsCode(op) || (op.kind === "wait" && this.nameNeedsCode(op)) || this.invokeFunctionNeedsCode(op, block)) return undefined;
    const terms: string[] = [];
    const fields: string[] = [];
    const computed: Computed = {};
    const take = (field: "name" | "payload", value: ValueExpr, exact: Exact | undefined): boolean => {
      if (this.readsShared(value)) return false;
      if (value.jsonata || value.opaque) return value.jsonata !== undefined;
      if (!exact) return false;
      if (exact.guard) {
        terms.push(...(exact.guards ?? []));
        fields.push(`"${field}": ${exact.jsonata}`);
        computed[field] = true;
      }
      return true;
    };
    if (op.name !== null && typeof op.name !== "string" && !take("name", op.name, stringJsonata(op.name.node, this.locals))) return undefined;
    if (op.kind === "invoke" && op.input && !take("payload", op.input, valueJsonata(op.input.node, this.locals))) return undefined;
    const batch = this.batchInputs(op);
    if (batch?.guard) {
      terms.push(...(batch.guards ?? []));
      fields.push(`"batch": ${batch.jsonata}`);
    }
    const seconds = this.secondsExact(op);
    if (seconds?.guard) {
      terms.push(...(seconds.guards ?? []));
      fields.push(`"seconds": ${seconds.jsonata}`);
      computed.seconds = true;
    }
    const guard = joinGuards(terms);
    return guard === undefined ? undefined : { guard, output: `{${fields.join(", ")}}`, computed };
  }

  conditionJsonata(cond: ValueExpr): Exact | undefined {
    if (this.readsShared(cond)) return undefined;
    if (cond.jsonata || cond.opaque) return cond.jsonata === undefined ? undefined : { jsonata: cond.jsonata };
    return conditionJsonata(cond.node, this.locals);
  }

  /** The base name of a block's first state: what that state will be (the builder's emitBlock makes the same choice). */
  baseName(block: Block): string {
    const t = block.term;
    const line = lineOf(block.origin);
    if (this.rethrown(block)) return `Check-line-${lineOf(block.code[0]?.node ?? block.origin)}`;
    const throwing = this.throwsIfError(block);
    if (throwing) return `If-${throwing.owner}-failed`;
    const split = this.split(block);
    if (split) return `${split.guard ? "Check" : "Assign"}-line-${lineOf(block.code[0]?.node ?? block.origin)}`;
    if (block.code.length === 0 || this.mergesIntoOperation(block)) {
      if (t.kind === "op") return this.guardedInputs(t.op, block) ? `Check-line-${lineOf(t.op.call)}` : operationName(t.op);
      if (t.kind === "return" && (!t.value || this.valueExact(t.value))) {
        return `${t.value && this.valueExact(t.value)!.guard ? "Check" : "Return"}-line-${lineOf(t.value?.node ?? block.origin)}`;
      }
      if (t.kind === "rethrow") return `Rethrow-line-${line}`;
      if (t.kind === "enter") return childContextName(t.context);
      if (t.kind === "wrapChild") return `${childContextName(t.context)}-failed`;
      if (t.kind === "branch" && this.conditionJsonata(t.cond)) return `${t.what === "loop" ? "Loop" : "If"}-line-${lineOf(t.cond.node)}`;
      if (t.kind === "switch" && this.switchJsonata(t)) return `Switch-line-${lineOf(t.discriminant.node)}`;
    }
    const joined = this.intoNextStep(block);
    if (joined?.term.kind === "op") return operationName(joined.term.op);
    const line2 = lineOf(block.code[0]?.node ?? block.origin);
    const assign = t.kind === "goto" || t.kind === "open" ? this.assignments(block) : undefined;
    if (assign) return `${assign.guard ? "Check" : "Assign"}-line-${line2}`;
    // A fragment Task is named for what it computes for the state after it.
    if (t.kind === "return") return `Compute-result-line-${line2}`;
    if (t.kind === "branch" || t.kind === "switch") return `Evaluate-line-${line2}`;
    return `Code-line-${line2}`;
  }
}

/** A block split into its assignments and the rest (Selection.split). */
export interface Split {
  assign: Record<string, string>;
  guard?: string;
  rest: Block;
  /** What the fallback runs where the guard fails, when not the whole block: its code, then `rest`. */
  fallback?: Block;
}
