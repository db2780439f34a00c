import { BATCH_MARKER, ERROR_MARKER_KEY, PROMISE_MARKER_KEY, UNDEFINED_MARKER_KEY, type ErrorRecord } from "../../protocol/index.ts";
import { BatchResult, decodeBatch, encodeBatch, type DecidedBatch, type RawBatch } from "./batch.ts";
import { errorFromValue, errorToValue, toError, type ErrorValue, type SdkErrorClasses } from "./errors.ts";

/**
 * How locals travel between fragments through ASL Variables.
 *
 * ASL Variables hold JSON values only. Two JavaScript values that locals commonly hold have no
 * JSON form and get a marker object instead:
 * - a top-level `undefined` (a step that returns nothing, a `let x;`) must come back as
 *   `undefined`, not `null`. Nested `undefined` is dropped by JSON exactly as the SDK's own JSON
 *   checkpointing drops it;
 * - an Error (typically the error a catch block caught) must come back as an Error of the same
 *   class, name, message and cause, so that `instanceof StepError` still holds after a wait;
 * - a BatchResult (map, parallel) must come back with its methods (batch.ts); the outcomes of
 *   promise.all / allSettled become the array the SDK resolves them to.
 * The marker keys are part of the protocol with the compiled machine (protocol/markers.ts).
 */

export function encodeValue(value: unknown): unknown {
  if (value === undefined) return { [UNDEFINED_MARKER_KEY]: true };
  if (value instanceof Error) return { [ERROR_MARKER_KEY]: errorToValue(value) };
  if (value instanceof BatchResult) return encodeBatch(value, encodeValue);
  return value;
}

export function decodeValue(value: unknown, sdk: SdkErrorClasses): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const marker = keys.length === 1 ? keys[0] : undefined;
    const body = (value as Record<string, unknown>)[marker ?? ""];
    if (marker === UNDEFINED_MARKER_KEY) return undefined;
    if (marker === ERROR_MARKER_KEY) return errorFromValue(body as ErrorValue, sdk);
    if (marker === BATCH_MARKER) return decodeBatch(body as RawBatch | DecidedBatch, sdk, (v) => decodeValue(v, sdk));
    if (marker === PROMISE_MARKER_KEY) return decodeCombinator(body as Settled, sdk);
  }
  return value;
}

/** What promise.all / allSettled leave (concurrency.ts, emitCombinator): one outcome per operation, in order. */
interface Settled {
  combinator: "all" | "allSettled";
  outcomes: { status: "SUCCEEDED" | "FAILED"; result?: unknown; error?: ErrorRecord }[];
}

/** `all`: the results (a failure never gets here: the machine has thrown it); `allSettled`: the JS settled records. */
function decodeCombinator(settled: Settled, sdk: SdkErrorClasses): unknown[] {
  return settled.outcomes.map((o) => {
    const value = decodeValue(o.result, sdk);
    if (settled.combinator === "all") return value;
    return o.status === "SUCCEEDED" ? { status: "fulfilled", value } : { status: "rejected", reason: toError(o.error!, sdk) };
  });
}

export function encodeVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars)) out[name] = encodeValue(value);
  return out;
}

export function decodeVars(vars: Record<string, unknown> | undefined, sdk: SdkErrorClasses): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars ?? {})) out[name] = decodeValue(value, sdk);
  return out;
}
