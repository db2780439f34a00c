import type { HistoryEvent } from "../runtime/emulator/index.ts";
import type { SourceMapEntry } from "../compiler/index.ts";
import type { CompiledRun } from "./run.ts";

/**
 * The Lambda invocations of a compiled run, read off its history: those of the user's code (a
 * Task of an operation: steps, submitters, checks, invoked functions) and those of glue code (a
 * fragment Task the compiler added). `cost` prices them; the corpus runner sums them.
 */

/** The state each history event belongs to: entered states name themselves, later events follow `previousEventId`. */
export function stateOfEvents(history: HistoryEvent[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const event of history) {
    const entered = (event.stateEnteredEventDetails as { name?: string } | undefined)?.name;
    const name = entered ?? names.get(event.previousEventId);
    if (name !== undefined) names.set(event.id, name);
  }
  return names;
}

/** Lambda invocations of the user's code and of glue code. */
export function countInvocations(run: CompiledRun, states: Record<string, SourceMapEntry>): { steps: number; glue: number } {
  const names = stateOfEvents(run.result.history);
  let steps = 0;
  let glue = 0;
  for (const event of run.result.history) {
    if (event.type !== "TaskScheduled") continue;
    if (states[names.get(event.id) ?? ""]?.operation || states[names.get(event.id) ?? ""]?.pollOf) steps++;
    else glue++;
  }
  return { steps, glue };
}
