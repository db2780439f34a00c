import type { Node } from "ts-morph";

/** The SDK's BatchResult (what `map` and `parallel` resolve to), by its declaration in the SDK, never by a name alone. */
export function isBatchResult(node: Node): boolean {
  const type = node.getType();
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  if (symbol?.getName() !== "BatchResult") return false;
  return symbol.getDeclarations().some((d) => d.getSourceFile().isInNodeModules() && /durable-execution-sdk-js/.test(d.getSourceFile().getFilePath()));
}

/** Its methods that only read it (the SDK computes the views once: its docs ask to treat them as immutable). */
export const BATCH_READING_METHODS = new Set(["getResults", "getErrors", "succeeded", "failed", "started", "throwIfError"]);
