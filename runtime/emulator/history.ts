import type { VirtualClock } from "./clock.ts";
import { Limits } from "./limits.ts";
import type { HistoryEvent } from "./types.ts";

const CLOSING_EVENTS = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

/** Thrown when the next event would be number 25,000 and would not close the execution. */
export class HistoryLimitExceeded extends Error {
  constructor() {
    super(`The execution reached the limit of ${Limits.historyEvents} history events`);
    this.name = "HistoryLimitExceeded";
  }
}

/**
 * The execution history as GetExecutionHistory reports it: ids from 1, `previousEventId` pointing at
 * the event that led to this one within the same branch, and virtual timestamps.
 */
export class History {
  readonly events: HistoryEvent[] = [];
  private closed = false;

  constructor(private readonly clock: VirtualClock) {}

  /** Appends an event and returns its id. `details` is keyed by the API's details field name. */
  add(type: string, previousEventId: number, details?: Record<string, unknown>): number {
    // Fibers an abort left running (a task still in its integration) must not write past the end.
    if (this.closed) return this.events.length;
    if (this.events.length >= Limits.historyEvents - 1 && !CLOSING_EVENTS.has(type)) {
      throw new HistoryLimitExceeded();
    }
    const id = this.events.length + 1;
    const event: HistoryEvent = { id, previousEventId, timestamp: new Date(this.clock.now), type };
    if (details) Object.assign(event, details);
    this.events.push(event);
    if (CLOSING_EVENTS.has(type)) this.closed = true;
    return id;
  }
}
