import { BatchResult, decodeBatch, encodeBatch, isBatchMarker } from "./batch.ts";
import { errorFromValue, errorToValue, type ErrorValue, type SdkErrorClasses } from "./errors.ts";

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
 * - a BatchResult (map, parallel) must come back with its methods (batch.ts).
 */
export const UNDEFINED_MARKER_KEY = "__undefined__";
export const ERROR_MARKER_KEY = "__error__";

export function encodeValue(value: unknown): unknown {
  if (value === undefined) return { [UNDEFINED_MARKER_KEY]: true };
  if (value instanceof Error) return { [ERROR_MARKER_KEY]: errorToValue(value) };
  if (value instanceof BatchResult) return encodeBatch(value, encodeValue);
  return value;
}

export function decodeValue(value: unknown, sdk: SdkErrorClasses): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === UNDEFINED_MARKER_KEY) return undefined;
    if (keys.length === 1 && keys[0] === ERROR_MARKER_KEY) return errorFromValue((value as Record<string, ErrorValue>)[ERROR_MARKER_KEY], sdk);
    if (isBatchMarker(value)) return decodeBatch(value as Record<string, unknown>, sdk, (v) => decodeValue(v, sdk));
  }
  return value;
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
