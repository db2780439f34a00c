import type { Cfg } from "../lower/cfg.ts";
import { computeLiveness, type Liveness } from "../analyze/liveness.ts";

/**
 * The liveness of a handler's graph and of every graph nested in it (map functions, parallel
 * branches, promise elements), computed once before the transform. Blocks belong to exactly one
 * graph, so one pair of maps keyed by block serves them all.
 */
export function handlerLiveness(cfg: Cfg): Liveness {
  const all: Liveness = { liveIn: new Map(), liveOut: new Map() };
  const visit = (graph: Cfg): void => {
    const { liveIn, liveOut } = computeLiveness(graph);
    liveIn.forEach((live, block) => all.liveIn.set(block, live));
    liveOut.forEach((live, block) => all.liveOut.set(block, live));
    for (const block of graph.blocks) {
      if (block.term.kind !== "op") continue;
      const op = block.term.op;
      if (op.kind === "map" || op.kind === "parallel") op.branches.forEach((branch) => visit(branch.cfg));
      if (op.kind === "promise") op.branches.forEach(visit);
    }
  };
  visit(cfg);
  return all;
}
