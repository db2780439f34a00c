/**
 * The observable behaviour of one execution, as compared by `verify` (docs/internals.md, "Traces";
 * docs/verify.md). Produced on the SDK side by harness/oracle and on the compiled side from the
 * emulator's history.
 */
export interface Trace {
  status: "SUCCEEDED" | "FAILED";
  /** When SUCCEEDED: the handler's return value as JSON (absent when it returned undefined). */
  result?: unknown;
  /** When FAILED. */
  error?: TraceError;
  /** Top-level durable operations, in start order. */
  operations: OperationRecord[];
}

export interface TraceError {
  errorType: string;
  errorMessage: string;
}

export type OperationKind =
  | "step"
  | "wait"
  | "waitForCallback"
  | "createCallback"
  | "invoke"
  | "childContext"
  | "parallel"
  | "map"
  | "waitForCondition";

/**
 * Final status of an operation. The first three are the documented ones; an operation can also be
 * left STARTED (e.g. a map item still running when a fail-fast map completed, or a callback nobody
 * answered when the execution failed elsewhere), and the SDK knows CANCELLED / STOPPED.
 */
export type OperationRecordStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STARTED" | "CANCELLED" | "STOPPED";

export interface OperationRecord {
  kind: OperationKind;
  /** null for unnamed operations. */
  name: string | null;
  status: OperationRecordStatus;
  /** step, waitForCondition: attempts made. */
  attempts?: number;
  /** wait: the requested duration in seconds. */
  waitSeconds?: number;
  /** childContext: its operations; parallel / map: one childContext record per branch / item. */
  children?: OperationRecord[];
}
