import type { Expression, Node, Statement } from "ts-morph";
import { markCallbackAnswer } from "./callback-answer.ts";
import { fail, messages } from "../diagnostics.ts";
import { invokeArguments, splitName, type DurableCall } from "../parse/durable-calls.ts";
import { INVOKE_OPTIONS } from "../parse/operation-options.ts";
import { readOptions } from "../parse/options.ts";
import { closurePiece } from "../analyze/closures.ts";
import type { Local } from "../analyze/locals.ts";
import * as refuse from "../analyze/refusals.ts";
import { parseBatch, parseCombinator, runBesideStarted, settledAwait } from "./batch.ts";
import type { PendingCallback } from "./callbacks.ts";
import type { Combinator, CreateCallbackOp, DurableOp, StepOp, ValueExpr } from "./cfg.ts";
import { operationOf } from "./expressions.ts";
import { dropPending, isStartable, SETTLED_AWAIT, unsettled } from "./pending.ts";
import { inlineChildContext, inlineHelper } from "./inline.ts";
import { lowerTableCall } from "./table-calls.ts";
import type { Awaited, Lowering } from "./context.ts";

/**
 * Durable-call sites: each operation ends the current block with an `op` terminator whose
 * `next` block continues after it; runInChildContext and helpers are inlined (inline.ts); map,
 * parallel and the promise combinators lower their functions as graphs of their own (batch.ts).
 */

/** `declareAs` says how a fresh target is declared when a helper's code (not an ASL Assign) sets it. */
export function emitAwaited(lo: Lowering, awaited: Awaited, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
  if (awaited.kind === "callback") return emitCallback(lo, awaited.callback, awaited.stage, target, at);
  if (awaited.kind === "table") return lowerTableCall(lo, awaited, target, at, declareAs);
  if (awaited.kind === "operation" && awaited.call.method === SETTLED_AWAIT) {
    const op = settledAwait(lo, awaited.call);
    dropPending(lo, awaited.call);
    return emitOp(lo, op, target, at);
  }
  if (awaited.kind === "operation") dropPending(lo, awaited.call);
  if (awaited.kind === "operation" && unsettled(lo).length > 0 && isStartable(awaited.call)) return emitOp(lo, runBesideStarted(lo, awaited.call), target, at);
  if (awaited.kind === "operation") refuse.refuseOuterContext(awaited.call, lo.locals, lo.contextScope);
  if (awaited.kind === "operation" && awaited.call.method === "runInChildContext") inlineChildContext(lo, awaited.call.call, target, at, declareAs);
  else if (awaited.kind === "operation") emitOperation(lo, awaited.call, target, at);
  else inlineHelper(lo, awaited.call, awaited.fn, target, at, declareAs);
}

/** The await of a createCallback's promise: its Task (lower/callbacks.ts). */
function emitCallback(lo: Lowering, cb: PendingCallback, stage: "create" | undefined, target: Local | undefined, at: Node): void {
  const { name, rest } = splitName(cb.call.call);
  const op: CreateCallbackOp = {
    kind: "createCallback",
    call: cb.call.call,
    name: lo.operationName(name),
    config: stage ? undefined : optional(lo, rest[0]),
    callbackId: cb.id,
    handOn: cb.handOn,
    step: cb.step ? (parseOperation(lo, cb.step) as StepOp) : undefined,
    created: cb.created,
    relayId: cb.relay,
    stage,
  };
  // The answer is a marker only code reads; the relay's id (the marker's target) is a plain string.
  if (target && !stage) target.codeOnly = true;
  const next = lo.newBlock(at);
  lo.cur.term = { kind: "op", op, target, next };
  lo.startAt(next);
}

function emitOperation(lo: Lowering, call: DurableCall, target: Local | undefined, at: Node): void {
  emitOp(lo, parseOperation(lo, call), target, at);
}

function emitOp(lo: Lowering, op: DurableOp, target: Local | undefined, at: Node): void {
  // A map, parallel or promise result is a marker only fragments decode. A callback's answer (a
  // string, or the undefined marker for an empty one) is read by JSONata like any local: every
  // translation rules markers out where it reads a value (jsonata-translator.ts).
  if (target && ["map", "parallel", "promise"].includes(op.kind)) target.codeOnly = true;
  if (target && (op.kind === "map" || op.kind === "parallel")) target.batch = true;
  if (op.kind === "waitForCallback") markCallbackAnswer(op, target);
  const next = lo.newBlock(at);
  lo.cur.term = { kind: "op", op, target, next };
  lo.startAt(next);
}

function parseOperation(lo: Lowering, { call, method }: DurableCall): DurableOp {
  const split = splitName(call);
  const name = lo.operationName(split.name);
  const rest = split.rest;
  switch (method) {
    case "step":
      return { kind: "step", call, name, body: closurePiece(rest[0], call, "step", lo.locals), config: optional(lo, rest[1]) };
    case "wait":
      return { kind: "wait", call, name, duration: lo.checkedValue(rest[0], "a wait duration") };
    case "waitForCallback":
      return { kind: "waitForCallback", call, name, submitter: closurePiece(rest[0], call, "submitter", lo.locals), config: optional(lo, rest[1]) };
    case "invoke": {
      const { name: nameArg, functionId: fnArg, input: inputArg, options } = invokeArguments(call);
      readOptions(INVOKE_OPTIONS, options);
      return {
        kind: "invoke",
        call,
        name: lo.operationName(nameArg),
        functionId: lo.checkedValue(fnArg ?? fail(call, messages.D2S2004.invokeNeedsFunction()), "a function name"),
        // `invoke(name, fn, undefined)` is `invoke(name, fn)`: the SDK sends no input either way.
        input: inputArg && !inputArg.getType().isUndefined() ? lo.checkedValue(inputArg, "an invoke input") : undefined,
      };
    }
    case "waitForCondition": {
      if (!rest[1]) fail(call, messages.D2S2004.waitForConditionNeedsConfig());
      const id = ++lo.counters.condition;
      return {
        kind: "waitForCondition",
        call,
        name,
        check: closurePiece(rest[0], call, "check", lo.locals),
        config: lo.checkedValue(rest[1], "waitForCondition options"),
        state: lo.locals.temporary(`conditionState${id}`),
        attempt: lo.locals.temporary(`conditionAttempt${id}`),
      };
    }
    case "map":
    case "parallel":
      return parseBatch(lo, call, method, name, rest);
    case "promise.all":
    case "promise.allSettled":
    case "promise.any":
    case "promise.race":
      return parseCombinator(lo, call, method.slice("promise.".length) as Combinator, name, rest, false);
    case "Promise.all":
    case "Promise.allSettled":
    case "Promise.any":
    case "Promise.race":
      return parseCombinator(lo, call, method.slice("Promise.".length) as Combinator, null, call.getArguments() as Expression[], true);
    default:
      refuse.refuseUnsupportedOperation(call, method);
  }
}

function optional(lo: Lowering, arg: Expression | undefined): ValueExpr | undefined {
  return arg ? lo.checkedValue(arg, "operation options") : undefined;
}
