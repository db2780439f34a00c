import type { SourceMapEntry } from "../transform/operation-site.ts";
import { edgesInto, removable, type Graph } from "./graph.ts";

/**
 * Folds a Choice whose `Default` is another Choice into it: when no rule of the first matches,
 * the second's rules are tried on the same input and variables (a Choice without Assign or
 * Output changes neither), so they can follow the first's rules in one state, with the second's
 * Default, when neither has an Assign or Output of its own. The second stays while anything else leads to it (a loop head).
 */
/** Keeps a folded Choice readable in the visual editor. */
const MAX_RULES = 12;

export function foldChoices(graph: Graph, sourceMap: Record<string, SourceMapEntry>): boolean {
  let changed = false;
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type !== "Choice" || state.Assign !== undefined || state.Output !== undefined) continue;
    const nextName = state.Default;
    const next = graph.States[nextName];
    // The second's own Assign and Output apply whichever of its rules matches: they cannot join the first's.
    if (!next || next.Type !== "Choice" || next.Assign !== undefined || next.Output !== undefined || !removable(sourceMap[nextName])) continue;
    // A Default that comes back (a loop of Choices) would copy rules without end.
    if ([name, nextName].includes(next.Default) || state.Choices.length + next.Choices.length > MAX_RULES) continue;
    state.Choices = [...state.Choices, ...next.Choices.map((rule) => structuredClone(rule))];
    state.Default = next.Default;
    changed = true;
    if (edgesInto(graph, nextName).length === 0) {
      delete graph.States[nextName];
      delete sourceMap[nextName];
    }
  }
  return changed;
}
