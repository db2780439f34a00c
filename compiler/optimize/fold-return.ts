import type { AslState } from "../transform/asl-types.ts";
import type { SourceMapEntry } from "../transform/operation-site.ts";
import { asExpression, substitute, variablesRead } from "./jsonata-text.ts";
import { catchesEvaluationErrors, edgesInto, outputExpression, removable, type Graph } from "./graph.ts";

/**
 * Folds a Succeed (a `return`) into each state whose `Next` it is: that state ends the graph
 * (`End`) with the Succeed's Output, rewritten to read what the Succeed read there (its input is
 * that state's output; the variables that state assigns still have their old values while its
 * own Output is evaluated). Not into a state whose Retry or Catch would then see an error of the
 * Output (catchesEvaluationErrors), nor a Choice (it cannot end a graph). One transition fewer.
 */
export function foldReturns(graph: Graph, sourceMap: Record<string, SourceMapEntry>): boolean {
  let changed = false;
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type !== "Succeed" || !removable(sourceMap[name])) continue;
    for (const edge of edgesInto(graph, name)) {
      if (edge.kind !== "next") continue;
      const from = graph.States[edge.from]!;
      const ending = endingOutput(from, state.Output);
      if (!ending) continue;
      const { output } = ending;
      const last = from as { Next?: string; End?: boolean; Output?: unknown };
      delete last.Next;
      last.End = true;
      if (output === undefined) delete last.Output;
      else last.Output = output;
      changed = true;
    }
    if (edgesInto(graph, name).length === 0) {
      delete graph.States[name];
      delete sourceMap[name];
    }
  }
  return changed;
}

/** The Output `from` gets when it ends with this Succeed's Output (`output` undefined: none), or null if it cannot. */
function endingOutput(from: AslState, output: unknown): { output: unknown } | null {
  if (from.Type === "Choice" || from.Type === "Succeed" || from.Type === "Fail" || catchesEvaluationErrors(from)) return null;
  if (output === undefined) return { output: from.Output };
  const reads = variablesRead(output);
  if (!reads || reads.has("states")) return null;
  const replace = new Map<string, string>();
  if (reads.has("states.input")) {
    const input = outputExpression(from);
    if (input === null) return null;
    if (input !== "$states.input") replace.set("states.input", input);
  }
  for (const [k, v] of Object.entries(from.Assign ?? {})) {
    if (!reads.has(k)) continue;
    const expr = asExpression(v);
    if (expr === null) return null;
    replace.set(k, expr);
  }
  const rewritten = substitute(output, replace);
  return rewritten === undefined ? null : { output: rewritten };
}
