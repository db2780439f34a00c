import { Node } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import type { Block, Cfg } from "../lower/cfg.ts";
import type { Local, Locals } from "./locals.ts";
import { aliasOrigin, directMutations } from "./mutations.ts";

/**
 * A map function or parallel branch may read the enclosing function's locals but not assign
 * them: each iteration is an ASL scope of its own (and under the SDK, a concurrent one).
 * `own` is the function and the helpers inlined into it: their locals are the iteration's.
 */
export function refuseOuterWrites(cfg: Cfg, own: Node[], kind: "map" | "parallel", locals: Locals): void {
  const inside = (local: Local) => !local.declaration || local.declaration.getAncestors().some((a) => own.includes(a));
  for (const block of cfg.blocks) {
    const written = block.code.flatMap((p) => [...p.writes]);
    if (block.term.kind === "op" && block.term.target) written.push(block.term.target);
    const outer = written.find((l) => !inside(l));
    if (outer) {
      const at = block.code.find((p) => p.writes.has(outer))?.node ?? (block.term.kind === "op" ? block.term.op.call : block.origin);
      fail(at, messages.D2S2013.assignsOuterLocal({ name: outer.name, kind }));
    }
    refuseOuterChanges(block, own[0], (l) => inside(l) && l !== cfg.params.item, locals, kind);
  }
}

/**
 * Nor change the enclosing function's objects in place (`audit.push(x)`, `counters.n += 1`):
 * under the SDK the change is seen until the next replay, which skips the finished map; compiled,
 * an iteration's locals never flow back. (Step bodies inside are checked by closures.ts.)
 */
function refuseOuterChanges(block: Block, fn: Node, inside: (l: Local) => boolean, locals: Locals, kind: "map" | "parallel"): void {
  const t = block.term;
  const values = t.kind === "return" ? [t.value] : t.kind === "branch" ? [t.cond] : t.kind === "switch" ? [t.discriminant, ...t.cases] : [];
  const nodes = [...block.code.map((p) => p.node), ...values.map((v) => v?.node)].filter((n) => n !== undefined);
  for (const node of nodes) {
    // Also through a const of the function taken from one (`const it = item; it.seen = true`).
    const changed = directMutations(node, locals)
      .map((m) => ({ ...m, root: aliasOrigin(m.root, locals) }))
      .find((m) => !inside(m.root));
    if (!changed) continue;
    const { node: at, root, form } = changed;
    // Under the SDK the item is the element of the items array itself, not a copy.
    if (root.declaration && Node.isParameterDeclaration(root.declaration) && kind === "map" && root.declaration.getParent() === fn) fail(at, messages.D2S2002.changesMapItem({ name: root.name, form }));
    fail(at, messages.D2S2002.changesOuterObject({ kind, name: root.name, form }));
  }
}
