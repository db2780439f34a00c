import type { HistoryEvent } from "../../emulator/index.ts";

export type StateStatus = "succeeded" | "caught" | "failed" | "running" | "waiting" | "aborted";

/** What the console shows of one state: its latest visit (a state in a loop or a Map is visited often). */
export interface StateRun {
  name: string;
  type: string;
  status: StateStatus;
  visits: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** Events that begin a new attempt of a state under Retry: an earlier attempt's error no longer stands. */
const ATTEMPT_STARTS = new Set(["TaskScheduled", "MapStateStarted", "ParallelStateStarted"]);

/**
 * Each state's status from an execution's history, as the Step Functions console colours its graph.
 * An event belongs to the state whose StateEntered it follows through `previousEventId`, so
 * Parallel branches and Map iterations, whose events interleave, keep apart. A visit that exits is
 * succeeded, or caught when an error of its last attempt came first; one that has not exited is
 * running (waiting when its task waits for a token: `waitingStates`, or its last event is
 * TaskSubmitted), failed once the execution has failed, aborted once it was stopped.
 */
export function stateRuns(events: readonly HistoryEvent[], executionStatus: string, waitingStates: ReadonlySet<string> = new Set()): StateRun[] {
  const owner = new Map<number, string>();
  const lastEvent = new Map<string, string>();
  const runs = new Map<string, StateRun>();
  for (const event of events) {
    const entered = detailsOf(event, "stateEnteredEventDetails");
    const exited = detailsOf(event, "stateExitedEventDetails");
    const name = text(entered?.name) ?? text(exited?.name) ?? owner.get(event.previousEventId);
    if (name === undefined) continue;
    owner.set(event.id, name);
    lastEvent.set(name, event.type);
    if (entered) {
      const visits = (runs.get(name)?.visits ?? 0) + 1;
      runs.set(name, { name, type: event.type.replace(/StateEntered$/, ""), status: event.type === "FailStateEntered" ? "failed" : "running", visits, input: text(entered.input) });
      continue;
    }
    const run = runs.get(name);
    if (!run) continue;
    if (exited) {
      run.output = text(exited.output);
      run.status = run.error !== undefined ? "caught" : "succeeded";
    } else if (ATTEMPT_STARTS.has(event.type)) {
      delete run.error;
      delete run.cause;
    } else if (/(Failed|TimedOut)$/.test(event.type)) {
      const failure = anyDetails(event);
      run.error = text(failure?.error) ?? event.type;
      run.cause = text(failure?.cause);
    }
  }
  for (const run of runs.values()) {
    if (run.status !== "running") continue;
    if (executionStatus === "RUNNING") run.status = waitingStates.has(run.name) || lastEvent.get(run.name) === "TaskSubmitted" ? "waiting" : "running";
    else run.status = executionStatus === "ABORTED" ? "aborted" : "failed";
  }
  return [...runs.values()];
}

function detailsOf(event: HistoryEvent, key: string): Record<string, unknown> | undefined {
  const value = event[key];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

/** The one `<kind>EventDetails` object of an event, whatever its kind. */
function anyDetails(event: HistoryEvent): Record<string, unknown> | undefined {
  const key = Object.keys(event).find((k) => k.endsWith("EventDetails"));
  return key ? detailsOf(event, key) : undefined;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
