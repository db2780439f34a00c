import type { CompiledHandler } from "../../compiler/index.ts";
import type { Scenario } from "../../runtime/emulator/index.ts";

/** Answers per callback name: enough for a callback made in a loop of a few rounds. */
const ANSWERS_PER_NAME = 20;
const OK = { success: JSON.stringify("ok") };

/**
 * The corpus scenario for one compiled handler: the event `{}` and every callback the handler
 * names (waitForCallback, createCallback) answered with the JSON string "ok", as often as it may
 * ask; unnamed callbacks (key "") likewise. A name computed at run time is not known here: such a
 * callback is never answered, as in a scenario that leaves it out.
 */
export function corpusScenario(handler: CompiledHandler): Scenario {
  const names = new Set<string>();
  const visit = (entry: CompiledHandler["sourceMap"]["states"][string] | undefined) => {
    if (!entry) return;
    const op = entry.operation;
    if (op && (op.kind === "waitForCallback" || op.kind === "createCallback") && op.nameFrom === undefined) names.add(op.name ?? "");
    visit(entry.opens);
  };
  for (const entry of Object.values(handler.sourceMap.states)) visit(entry);
  const callbacks = Object.fromEntries([...names].sort().map((name) => [name, Array.from({ length: ANSWERS_PER_NAME }, () => ({ ...OK }))]));
  return { event: {}, callbacks, handler: handler.name };
}
