import type { Cfg, DurableOp } from "../lower/cfg.ts";
import type { Liveness } from "./liveness.ts";
import { outerReads } from "./liveness.ts";
import type { Local } from "./locals.ts";

/**
 * For each local that lives across a durable operation, the first such operation, as a person
 * reads it (`context.wait at line 14`): D2S2005 names the operation a value cannot cross.
 * A local live only between two Tasks (through a Choice) crosses no operation and has none.
 */
const crossed = new WeakMap<Local, string>();

export function noteCrossings(cfg: Cfg, liveness: Liveness): void {
  for (const block of cfg.blocks) {
    if (block.term.kind !== "op") continue;
    const op = block.term.op;
    const target = block.term.target; // made by the operation, not carried across it
    const across = [...(liveness.liveOut.get(block) ?? [])].filter((l) => l !== target);
    if (op.kind === "map" || op.kind === "parallel") {
      across.push(...op.branches.flatMap(outerReads));
      op.branches.forEach((b) => noteCrossings(b.cfg, liveness));
    }
    if (op.kind === "promise") op.branches.forEach((b) => noteCrossings(b, liveness));
    for (const local of across) if (!crossed.has(local)) crossed.set(local, describe(op));
  }
}

export function crossingOf(local: Local): string | undefined {
  return crossed.get(local);
}

function describe(op: DurableOp): string {
  const method = op.kind === "promise" ? "context.promise" : `context.${op.kind}`;
  const name = typeof op.name === "string" ? `("${op.name}")` : "";
  return `${method}${name} at line ${op.call.getStartLineNumber()}`;
}
