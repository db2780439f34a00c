import type { StateGraph } from "../transform/operation-site.ts";
import { foldChoices } from "./fold-choice.ts";
import { foldMarkers } from "./fold-marker.ts";
import { foldPasses } from "./fold-pass.ts";
import { foldReturns } from "./fold-return.ts";
import { graphsOf, type Graph } from "./graph.ts";
import { readableNames } from "./readable-names.ts";

/**
 * The optimize phase (after the transform, before emit): rewrites of the states that keep the
 * machine's behaviour (same results, errors, operations and history of durable operations) with
 * fewer state transitions. Each rewrite is one file; they run on every graph (the machine, each
 * Map iteration and Parallel branch) until none changes anything; then the states named by their
 * line get names read from the source (readable-names.ts). `--no-optimize` skips it all.
 */
const FOLDS = [foldPasses, foldReturns, foldChoices, foldMarkers];

export function optimize(graph: StateGraph, sourceText?: string): void {
  const top: Graph = { StartAt: graph.startAt, States: graph.states };
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (const g of graphsOf(top)) for (const fold of FOLDS) if (fold(g, graph.sourceMap)) changed = true;
    if (!changed) break;
  }
  graph.startAt = top.StartAt;
  if (sourceText !== undefined) readableNames(graph, sourceText);
}
