import type { SourceMapEntry } from "../transform/operation-site.ts";

/**
 * The operation whose function each fragment runs (a step body, a waitForCondition check, a
 * waitForCallback submitter), read from the source map: its log lines name it, as the SDK's do.
 * A computed name is not known here: the machine sends it (`name` in the payload) or the line
 * goes without one.
 */
export function fragmentOperations(states: Record<string, SourceMapEntry>): Record<string, { kind: string; name?: string | null }> {
  const out: Record<string, { kind: string; name?: string | null }> = {};
  for (const entry of Object.values(states)) {
    if (!entry.fragment) continue;
    const own: SourceMapEntry["operation"] = entry.pollOf ? states[entry.pollOf]?.operation : entry.handsOnTo ? { kind: "step", name: entry.handsOnTo.name } : entry.operation;
    if (own && ["step", "waitForCondition", "waitForCallback"].includes(own.kind)) {
      out[entry.fragment] = { kind: own.kind === "waitForCallback" ? "callback" : own.kind, name: own.nameFrom ? null : own.name };
    }
  }
  return out;
}
