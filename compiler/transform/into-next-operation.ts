import type { Block } from "../lower/cfg.ts";
import type { Local } from "../analyze/locals.ts";

/** What the join needs of the selection (selection.ts). */
export interface JoinSelection {
  assignments(block: Block): { guard?: string } | undefined;
  liveIn(block: Block): Set<Local>;
  liveOut(block: Block): Set<Local>;
  mergesIntoOperation(block: Block): boolean;
}

/** The first block from `block` on that has a state of its own: an empty block that only jumps on has none. */
export function pastEmptyJumps(block: Block): Block {
  const seen = new Set<Block>();
  while (block.code.length === 0 && block.term.kind === "goto" && !seen.has(block)) {
    seen.add(block);
    block = block.term.target;
  }
  return block;
}

/**
 * A block of code that only jumps on to a step or waitForCallback (a block with no code of its
 * own, in the same try and child context): where the code would need a state of its own (a guard
 * Choice, a fragment Task), the operation's Task runs it instead, as it would if the two were one
 * block, and mergesIntoOperation decides as for one block. The operation keeps its own state for
 * any other path into it. Returns the two as that one block, its liveness handed to `register`
 * (live in as the code's block, live out as the operation's), or undefined.
 */
export function joinedWithNextOperation(block: Block, sel: JoinSelection, register: (joined: Block, liveIn: Set<Local>, liveOut: Set<Local>) => void): Block | undefined {
  if (block.code.length === 0 || block.term.kind !== "goto") return undefined;
  const next = pastEmptyJumps(block.term.target);
  const t = next.term;
  if (next.code.length > 0 || t.kind !== "op" || !["step", "waitForCallback"].includes(t.op.kind) || next.handler !== block.handler || next.context !== block.context) return undefined;
  // Assignments JSONata makes without a guard cost no state (the optimizer folds their Pass away): they stay JSONata.
  const assignments = sel.assignments(block);
  if (assignments && !assignments.guard) return undefined;
  const joined: Block = { ...block, term: t };
  register(joined, sel.liveIn(block), sel.liveOut(next));
  return sel.mergesIntoOperation(joined) ? joined : undefined;
}
