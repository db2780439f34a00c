/**
 * How locals travel between fragments through ASL Variables.
 *
 * ASL Variables hold JSON values only. A top-level `undefined` (a step that returns nothing, a
 * `let x;`) has no JSON form but must come back as `undefined`, not `null`, so it is stored as
 * this marker object. Nested `undefined` is dropped by JSON exactly as the SDK's own JSON
 * checkpointing drops it.
 */
export const UNDEFINED_MARKER_KEY = "__undefined__";

export function encodeValue(value: unknown): unknown {
  return value === undefined ? { [UNDEFINED_MARKER_KEY]: true } : value;
}

export function decodeValue(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === UNDEFINED_MARKER_KEY) return undefined;
  }
  return value;
}

export function encodeVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars)) out[name] = encodeValue(value);
  return out;
}

export function decodeVars(vars: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars ?? {})) out[name] = decodeValue(value);
  return out;
}
