import type { SourceMapEntry } from "../transform/operation-site.ts";
import { assignsIntoChoice } from "./assign-into-choice.ts";
import { edgesInto, redirect, type Graph } from "./graph.ts";

/**
 * Folds the marker Pass of a child context (the start of a Map item, a Parallel branch, a
 * runInChildContext) into the state after it, when nothing else leads there: that state is then
 * entered exactly when the marker was, with the same input (a Pass without Output hands its
 * input on), so its source-map entry carries the marker's as `opens`, and the trace reader opens
 * the child context there (harness/trace-from-history.ts). A marker that assigns (a Map item's
 * `$item := $states.input.value`) folds only into a Choice, which assigns the values itself
 * (assign-into-choice.ts). One transition fewer per item or branch.
 */
export function foldMarkers(graph: Graph, sourceMap: Record<string, SourceMapEntry>): boolean {
  let changed = false;
  for (const [name, state] of Object.entries(graph.States)) {
    const marker = sourceMap[name];
    if (state.Type !== "Pass" || state.Output !== undefined || !state.Next || !marker?.childContext || !isOnlyMarker(marker)) continue;
    const nextName = state.Next;
    const next = graph.States[nextName];
    const into = sourceMap[nextName];
    if (!next || nextName === name || into?.opens || into?.childContext) continue;
    const ways = edgesInto(graph, nextName);
    if (ways.length !== 1 || ways[0]!.kind !== "next" || ways[0]!.from !== name) continue;
    const assigns = state.Assign ?? {};
    if (Object.keys(assigns).length > 0 && !(next.Type === "Choice" && assignsIntoChoice(next, assigns))) continue;
    for (const edge of edgesInto(graph, name)) redirect(graph, edge, nextName);
    sourceMap[nextName] = { ...(into ?? { file: marker.file, line: marker.line, column: marker.column }), opens: marker };
    delete graph.States[name];
    delete sourceMap[name];
    changed = true;
  }
  return changed;
}

/** A marker entry with nothing else the trace reader acts on (its operation is the child context's). */
function isOnlyMarker(entry: SourceMapEntry): boolean {
  return entry.operation?.kind === "childContext" && !entry.failedContext && !entry.siblings && !entry.handsOnTo && !entry.pollOf && !entry.callbackKey && !entry.callbackOf && !entry.opens;
}
