import type { Block } from "../lower/cfg.ts";

/** A block's answer, worked out at its first question and kept (null: there is none). */
export function once<T>(cache: Map<Block, T | null>, block: Block, find: () => T | undefined): T | undefined {
  if (!cache.has(block)) cache.set(block, find() ?? null);
  return cache.get(block) ?? undefined;
}
