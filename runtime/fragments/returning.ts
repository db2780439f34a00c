import type { SdkErrorClasses } from "./errors.ts";
import type { KnownClasses } from "./carry.ts";
import { decodeVars } from "./values.ts";

/**
 * The reply of a step whose result the graph returns at once (compiler/transform/tail-return.ts):
 * the Task's Output is the result as stored, except where the machine would read that as a
 * marker (a one-key object whose key starts with `__`: the undefined marker, ...). Then `returned`
 * carries the value it stands for, as the code of a return computes it: as JSON (a branch's
 * result, checkpointed) or as the execution's output (`undefined` is null there).
 */
export function returning(stored: unknown, as: "json" | "result", sdk: SdkErrorClasses, known: KnownClasses): { result: unknown; returned?: { value?: unknown } } {
  if (!markerShaped(stored)) return { result: stored };
  let value: unknown;
  try {
    value = decodeVars({ r: stored }, sdk, known).r;
  } catch {
    // Data that only looks like a marker (it could not be read as one) is itself.
    return { result: stored };
  }
  if (value === undefined) return { result: stored, returned: as === "json" ? {} : { value: null } };
  return { result: stored, returned: { value: JSON.parse(JSON.stringify(value)) } };
}

function markerShaped(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0]!.startsWith("__");
}
