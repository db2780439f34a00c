import type { ExecutionResult, HistoryEvent } from "../runtime/emulator/index.ts";
import type { CompiledHandler, SourceMapEntry } from "../compiler/index.ts";
import { CALLBACK_SUBMITTER_ERROR, STEP_ATTEMPT_FAILED, STEP_ERROR } from "../protocol/index.ts";
import type { OperationRecord, Trace } from "./compare/index.ts";

/** The compiled side of a verify run: the history of an emulator execution read back as a Trace (docs/verify.md). */

type OperationEntry = { name: string | null; nameFrom?: "payload" | "input" };

/** The name of an operation at run time: literal, or computed into the task payload or the state input. */
export function operationName(op: OperationEntry | undefined, taskInput: unknown, stateInput?: unknown): string | null {
  if (!op) return null;
  if (op.nameFrom === "payload") return ((taskInput as { Payload?: { name?: string } })?.Payload?.name ?? null) as string | null;
  if (op.nameFrom === "input") return ((stateInput as { name?: string })?.name ?? null) as string | null;
  return op.name;
}

/**
 * An error as the handler's caller sees it: a fragment's error arrives as Lambda reports it
 * (`Cause` is `{"errorType","errorMessage",...}`); errors the machine raises itself carry the
 * message as `Cause`.
 */
export function errorOf(error: string | undefined, cause: string | undefined): { errorType: string; errorMessage: string } {
  try {
    const parsed = JSON.parse(cause ?? "");
    if (parsed && typeof parsed === "object" && typeof parsed.errorMessage === "string") {
      return { errorType: error ?? parsed.errorType ?? "", errorMessage: parsed.errorMessage };
    }
  } catch {
    // not a Lambda error: the cause is the message
  }
  return { errorType: error ?? "", errorMessage: cause ?? "" };
}

/** The durable operations of a compiled run, read back from the execution history (docs/verify.md). */
export function traceFromHistory(result: ExecutionResult, handler: CompiledHandler): Trace {
  const operations: OperationRecord[] = [];
  const fibers = new Fibers(result.history);
  readFiber(fibers, fibers.root, operations, handler.sourceMap.states);
  if (result.status === "SUCCEEDED") {
    const trace: Trace = { status: "SUCCEEDED", operations };
    if (result.output !== null && result.output !== undefined) trace.result = result.output;
    return trace;
  }
  const error = result.status === "TIMED_OUT" ? { errorType: "States.Timeout", errorMessage: "execution timed out" } : errorOf(result.error, result.cause);
  return { status: "FAILED", error, operations };
}

const FORK_EVENTS = new Set(["MapStateStarted", "ParallelStateStarted"]);
const JOIN_EVENTS = /^(Map|Parallel)State(Succeeded|Failed|Aborted)$/;

/**
 * The history split into lines of execution: the execution itself, and each Map iteration or
 * Parallel branch, whose events interleave with those of the others. Each event points at the
 * one before it in its own line (`previousEventId`); a line starts at an event that points at
 * a MapStateStarted / ParallelStateStarted other than the state's own end.
 */
class Fibers {
  readonly root: HistoryEvent[] = [];
  private readonly children = new Map<number, HistoryEvent[][]>();

  constructor(history: HistoryEvent[]) {
    const lineOf = new Map<number, HistoryEvent[]>();
    for (const event of history) {
      const previous = history[event.previousEventId - 1];
      let line = previous ? lineOf.get(previous.id) : this.root;
      if (previous && FORK_EVENTS.has(previous.type) && !JOIN_EVENTS.test(event.type)) {
        line = [];
        const forks = this.children.get(previous.id) ?? [];
        forks.push(line);
        this.children.set(previous.id, forks);
      }
      line = line ?? this.root;
      line.push(event);
      lineOf.set(event.id, line);
    }
  }

  /** The iterations or branches started by this event, in index order. */
  startedBy(event: HistoryEvent): HistoryEvent[][] {
    const lines = this.children.get(event.id) ?? [];
    const index = (line: HistoryEvent[]) => (line[0]?.mapIterationStartedEventDetails as { index?: number } | undefined)?.index ?? 0;
    return [...lines].sort((a, b) => index(a) - index(b));
  }
}

/** Reads the operations of one line of execution into `top`. */
/**
 * `callbacks`: createCallbacks awaited later, by their marker's key: their states at the await
 * continue the record. promise.all's branches share their caller's (a callback's Task can wait there).
 */
function readFiber(fibers: Fibers, events: HistoryEvent[], top: OperationRecord[], states: Record<string, SourceMapEntry>, callbacks = new Map<string, OperationRecord>()): void {
  const contexts = new OpenContexts(top, states);
  const conditions = new Map<string, OperationRecord>();
  let submitted = false;
  /** The operation whose state the history is in: its record, and the source map entry that started it. */
  let current: { record: OperationRecord; operation: OperationEntry; entered: HistoryEvent; handOn?: OperationRecord } | undefined;
  let siblingsOf: OperationRecord[] | undefined;
  for (const event of events) {
    const details = event.stateEnteredEventDetails as { name: string; input: string } | undefined;
    if (event.type.endsWith("StateEntered") && details) {
      current = undefined;
      const entry = states[details.name];
      if (entry?.opens) contexts.add(recordOf(entry.opens, details.input), entry.opens);
      if (entry?.failedContext !== undefined) contexts.fail(entry.failedContext);
      const polled = entry?.pollOf ? conditions.get(entry.pollOf) : undefined;
      if (polled) {
        // One more check of a waitForCondition is an attempt; a step's attempts are counted at TaskScheduled.
        if (polled.kind === "waitForCondition") polled.attempts = (polled.attempts ?? 0) + 1;
        current = { record: polled, operation: states[entry!.pollOf!].operation!, entered: event };
        continue;
      }
      const callback = entry?.callbackOf ? callbacks.get(entry.callbackOf.key) : undefined;
      if (callback) {
        if (entry!.callbackOf!.timedOut) callback.status = "TIMED_OUT";
        submitted = false;
        current = { record: callback, operation: { name: callback.name }, entered: event };
        continue;
      }
      if (entry?.siblings) {
        // promise.all: its operations run in Parallel branches, but are the caller's operations.
        siblingsOf = contexts.listFor(entry);
        continue;
      }
      const op = entry?.operation;
      submitted = false;
      if (op && entry) {
        const record = recordOf(entry, details.input);
        if (op.kind === "step" || op.kind === "waitForCondition") record.attempts = 0;
        // Their retry loops come back to a Task that names this state as pollOf (retry-loop.ts).
        if (op.kind === "waitForCondition" || op.kind === "step" || op.kind === "waitForCallback") conditions.set(details.name, record);
        if (entry.callbackKey) callbacks.set(entry.callbackKey, record);
        contexts.add(record, entry);
        current = { record, operation: op, entered: event };
        if (entry.handsOnTo) {
          // createCallback's Task also runs the step that hands the id on: a second operation.
          current.handOn = { kind: "step", name: entry.handsOnTo.name, status: "STARTED", attempts: 0 };
          contexts.add(current.handOn, entry);
        }
      }
      continue;
    }
    if (event.type === "ParallelStateStarted" && siblingsOf) {
      for (const line of fibers.startedBy(event)) readFiber(fibers, line, siblingsOf, states, callbacks);
      siblingsOf = undefined;
      continue;
    }
    if (!current) continue;
    if (event.type === "TaskSubmitted") submitted = true;
    if (current.handOn && readHandOn(event, current.handOn, current.record, () => contexts.remove(current!.handOn!))) continue;
    const { record } = current;
    switch (event.type) {
      case "TaskScheduled": {
        const params = JSON.parse((event.taskScheduledEventDetails as { parameters: string }).parameters);
        if (current.operation.nameFrom === "payload") record.name = operationName(current.operation, params);
        if (record.kind === "step") record.attempts! += 1;
        break;
      }
      case "TaskSucceeded":
        record.status = "SUCCEEDED";
        break;
      case "TaskFailed": {
        // A createCallback Task that fails before it waits failed in the code that hands the id on:
        // the callback itself was created and never answered.
        record.status = record.kind === "createCallback" && !submitted ? "STARTED" : "FAILED";
        const error = (event.taskFailedEventDetails as { error?: string } | undefined)?.error ?? "";
        if (ranOnlyCodeBefore(record, error, submitted)) contexts.remove(record);
        break;
      }
      case "TaskSubmitted":
        submitted = true;
        break;
      case "TaskTimedOut":
        record.status = record.kind === "waitForCallback" || record.kind === "createCallback" ? "TIMED_OUT" : "FAILED";
        break;
      case "WaitStateExited":
        record.status = "SUCCEEDED";
        record.waitSeconds = Math.round((event.timestamp.getTime() - current.entered.timestamp.getTime()) / 1000);
        current = undefined;
        break;
      case "MapStateStarted":
      case "ParallelStateStarted":
        // Each iteration or branch starts with its marker state, which makes its child context record.
        record.children = [];
        for (const line of fibers.startedBy(event)) readFiber(fibers, line, record.children, states);
        break;
      case "MapStateSucceeded":
      case "ParallelStateSucceeded":
        // The operation succeeds whatever its items did: they never fail it (docs/internals.md).
        record.status = "SUCCEEDED";
        current = undefined;
        break;
    }
  }
}

/**
 * The record an operation's state starts, with the name its input gives where it has one. A child
 * context's starts at its marker state, or at the state its marker was folded into (`opens`).
 */
function recordOf(entry: SourceMapEntry, input: string): OperationRecord {
  const op = entry.operation!;
  const name = op.nameFrom === "input" ? operationName(op, undefined, JSON.parse(input)) : op.name;
  return { kind: op.kind, name, status: op.kind === "childContext" ? "SUCCEEDED" : "STARTED" };
}

/**
 * The step inside a createCallback Task: attempts are the Task's attempts until it hands the id
 * on (TaskSubmitted); a StepError fails the step and leaves the callback STARTED, as under the SDK,
 * and so does an error of the code before the step, which never started then.
 * Returns true when the event concerned only the step.
 */
function readHandOn(event: HistoryEvent, step: OperationRecord, callback: OperationRecord, removeStep: () => void): boolean {
  const submitted = step.status === "SUCCEEDED";
  switch (event.type) {
    case "TaskScheduled":
      if (!submitted) step.attempts! += 1;
      return true;
    case "TaskSubmitted":
      step.status = "SUCCEEDED";
      return true;
    case "TaskFailed": {
      if (submitted) return false;
      const error = (event.taskFailedEventDetails as { error?: string } | undefined)?.error;
      if (error === STEP_ERROR) step.status = "FAILED";
      // The code before the step threw (its only attempt): under the SDK the step never started.
      else if (error !== STEP_ATTEMPT_FAILED && step.attempts === 1) removeStep();
      else if (error !== STEP_ATTEMPT_FAILED) return false;
      callback.status = "STARTED";
      return true;
    }
    default:
      return false;
  }
}

/**
 * A step or callback Task also runs the code before the operation (states.ts merges them). When
 * that code throws, the operation itself never started: under the SDK it has no record at all.
 * The fragment names every failure of a step body or submitter, so any other error is the code's.
 */
function ranOnlyCodeBefore(record: OperationRecord, error: string, submitted: boolean): boolean {
  if (record.kind === "step") return ![STEP_ERROR, STEP_ATTEMPT_FAILED, "Lambda.ServiceException", "States.Timeout"].includes(error) && record.attempts === 1;
  if (record.kind === "waitForCallback") return !submitted && ![CALLBACK_SUBMITTER_ERROR, STEP_ATTEMPT_FAILED, "States.Timeout", "States.HeartbeatTimeout"].includes(error);
  return false;
}

/**
 * The child contexts open at a point of the history: an operation goes into the children of its
 * innermost context (source map `context`); contexts it is not inside of have ended.
 */
class OpenContexts {
  private readonly open: { id: number; record: OperationRecord }[] = [];
  private readonly parents = new Map<number, number | undefined>();

  constructor(
    private readonly top: OperationRecord[],
    states: Record<string, SourceMapEntry>,
  ) {
    for (const entry of Object.values(states)) {
      const context = entry.childContext ?? entry.opens?.childContext;
      if (context) this.parents.set(context.id, context.parent);
    }
  }

  add(record: OperationRecord, entry: SourceMapEntry): void {
    this.listFor(entry).push(record);
    if (entry.childContext) {
      record.children = [];
      this.open.push({ id: entry.childContext.id, record });
    }
  }

  /** The list an operation of this state goes into: its innermost open context's children, or the top. */
  listFor(entry: SourceMapEntry): OperationRecord[] {
    const inside = entry.childContext ? entry.childContext.parent : entry.context;
    const chain = new Set<number>();
    for (let id = inside; id !== undefined; id = this.parents.get(id)) chain.add(id);
    while (this.open.length > 0 && !chain.has(this.open[this.open.length - 1].id)) this.open.pop();
    const parent = this.open[this.open.length - 1];
    return parent ? (parent.record.children ??= []) : this.top;
  }

  /** Takes back a record that turned out not to be an operation. */
  remove(record: OperationRecord): void {
    const lists = [this.top, ...this.open.map((c) => c.record.children ?? [])];
    for (const list of lists) {
      const at = list.indexOf(record);
      if (at >= 0) list.splice(at, 1);
    }
  }

  fail(id: number): void {
    const at = this.open.findIndex((c) => c.id === id);
    if (at < 0) return;
    this.open[at].record.status = "FAILED";
    this.open.length = at;
  }
}
