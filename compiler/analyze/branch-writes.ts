import type { Node } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import type { Cfg } from "../lower/cfg.ts";
import type { Local } from "./locals.ts";

/**
 * A map function or parallel branch may read the enclosing function's locals but not assign
 * them: each iteration is an ASL scope of its own (and under the SDK, a concurrent one).
 * `own` is the function and the helpers inlined into it: their locals are the iteration's.
 */
export function refuseOuterWrites(cfg: Cfg, own: Node[], kind: "map" | "parallel"): void {
  const inside = (local: Local) => !local.declaration || local.declaration.getAncestors().some((a) => own.includes(a));
  for (const block of cfg.blocks) {
    const written = block.code.flatMap((p) => [...p.writes]);
    if (block.term.kind === "op" && block.term.target) written.push(block.term.target);
    const outer = written.find((l) => !inside(l));
    if (outer) {
      const at = block.code.find((p) => p.writes.has(outer))?.node ?? (block.term.kind === "op" ? block.term.op.call : block.origin);
      fail(at, messages.D2S2013.assignsOuterLocal({ name: outer.name, kind }));
    }
  }
}
