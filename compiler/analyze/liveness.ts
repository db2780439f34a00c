import type { Block, Branch, Cfg, Terminator } from "../lower/cfg.ts";
import type { Local } from "./locals.ts";

/**
 * Which locals are live at the start and end of each block: only those cross a durable
 * boundary and become ASL Variables. A block with a try handler may jump to it at any point,
 * so what the handler needs is live throughout the block.
 */
export interface Liveness {
  liveIn: Map<Block, Set<Local>>;
  liveOut: Map<Block, Set<Local>>;
}

function successors(term: Terminator): Block[] {
  switch (term.kind) {
    case "goto":
      return [term.target];
    case "branch":
      return [term.then, term.else];
    case "switch":
      return [...term.targets, term.otherwise];
    case "op":
    case "enter":
      return [term.next];
    default:
      return [];
  }
}

export function terminatorReads(term: Terminator): Local[] {
  const pieces = [];
  switch (term.kind) {
    case "branch":
      pieces.push(term.cond.piece);
      break;
    case "switch":
      pieces.push(term.discriminant.piece, ...term.cases.map((c) => c.piece));
      break;
    case "return":
      if (term.value) pieces.push(term.value.piece);
      break;
    case "rethrow":
    case "wrapChild":
      return [term.record];
    case "enter":
      if (term.context.computedName) pieces.push(term.context.computedName.piece);
      break;
    case "op": {
      const op = term.op;
      if (op.name && typeof op.name !== "string") pieces.push(op.name.piece);
      if (op.kind === "step") pieces.push(op.body.piece, ...(op.config ? [op.config.piece] : []));
      if (op.kind === "wait") pieces.push(op.duration.piece);
      if (op.kind === "waitForCondition") pieces.push(op.check.piece, op.config.piece);
      if (op.kind === "invoke") pieces.push(op.functionId.piece, ...(op.input ? [op.input.piece] : []));
      if (op.kind === "waitForCallback") pieces.push(op.submitter.piece, ...(op.config ? [op.config.piece] : []));
      if (op.kind === "createCallback") {
        // The callback id is the task token, set inside the Task's own fragment.
        const inTask = [...op.handOn, ...(op.step ? [op.step.body.piece, ...(op.step.config ? [op.step.config.piece] : [])] : []), ...(op.config ? [op.config.piece] : [])];
        const declared = new Set(op.handOn.flatMap((p) => [...p.declares]));
        // Through the relay, the Task at the await registers the id the marker made.
        const relayed = op.relayId && !op.stage ? [op.relayId] : [];
        return [...relayed, ...inTask.flatMap((p) => [...p.reads]).filter((l) => l !== op.callbackId && !declared.has(l))];
      }
      if (op.kind === "promise") {
        // An element an earlier combinator ran is read from the local keeping its outcome.
        const kept = op.outcomes.flatMap((o) => ("stored" in o ? [o.stored] : []));
        return [...kept, ...op.branches.flatMap((cfg) => outerReads({ cfg, context: op.context }))];
      }
      if (op.kind === "map" || op.kind === "parallel") {
        pieces.push(...(op.items ? [op.items.piece] : []), ...(op.config ? [op.config.piece] : []));
        return [...pieces.flatMap((p) => [...p.reads]), ...op.branches.flatMap(outerReads)];
      }
      break;
    }
  }
  return pieces.flatMap((p) => [...p.reads]);
}

const outerReadsCache = new WeakMap<Branch, Local[]>();

/** The enclosing function's locals a map function or parallel branch reads: live where the state starts. */
export function outerReads(branch: Branch): Local[] {
  let reads = outerReadsCache.get(branch);
  if (!reads) {
    const own = new Set([branch.cfg.params.item, branch.cfg.params.index]);
    reads = [...computeLiveness(branch.cfg).liveIn.get(branch.cfg.entry)!].filter((l) => !own.has(l));
    outerReadsCache.set(branch, reads);
  }
  return reads;
}

function use(block: Block): Set<Local> {
  const used = new Set<Local>();
  const declared = new Set<Local>();
  for (const p of block.code) {
    p.declares.forEach((l) => declared.add(l));
    p.reads.forEach((l) => used.add(l));
    p.writes.forEach((l) => used.add(l)); // a partial write (inside an if) keeps the old value
  }
  terminatorReads(block.term).forEach((l) => used.add(l));
  // A local declared in this block's code is that declaration wherever the block reads it (block scoping).
  declared.forEach((l) => used.delete(l));
  for (const l of [...used]) if (l.errorRecord) used.add(l.errorRecord);
  return used;
}

function kill(block: Block): Set<Local> {
  const killed = new Set<Local>();
  for (const p of block.code) p.declares.forEach((l) => killed.add(l));
  if (block.term.kind === "op" && block.term.target) killed.add(block.term.target);
  if (block.term.kind === "op" && block.term.op.kind === "promise") block.term.op.stores.forEach((s) => killed.add(s.local));
  return killed;
}

export function computeLiveness(cfg: Cfg): Liveness {
  const liveIn = new Map<Block, Set<Local>>();
  const liveOut = new Map<Block, Set<Local>>();
  const uses = new Map(cfg.blocks.map((b) => [b, use(b)]));
  const kills = new Map(cfg.blocks.map((b) => [b, kill(b)]));
  for (const b of cfg.blocks) {
    liveIn.set(b, new Set());
    liveOut.set(b, new Set());
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const b of [...cfg.blocks].reverse()) {
      const out = new Set<Local>();
      for (const s of successors(b.term)) liveIn.get(s)!.forEach((l) => out.add(l));
      if (b.handler) liveIn.get(b.handler.entry)!.forEach((l) => l !== b.handler!.record && out.add(l));
      const inn = new Set(uses.get(b)!);
      for (const l of out) if (!kills.get(b)!.has(l)) inn.add(l);
      if (b.handler) liveIn.get(b.handler.entry)!.forEach((l) => l !== b.handler!.record && inn.add(l));
      for (const l of [...inn]) if (l.isContext || l.errorRecord) inn.delete(l);
      for (const l of [...out]) if (l.isContext || l.errorRecord) out.delete(l);
      if (inn.size !== liveIn.get(b)!.size || out.size !== liveOut.get(b)!.size) changed = true;
      liveIn.set(b, inn);
      liveOut.set(b, out);
    }
  }
  return { liveIn, liveOut };
}
