import type { DefinitionProblem } from "./types.ts";

/** Error names Step Functions defines (AWS docs, "Error handling in Step Functions"). */
export const ErrorNames = {
  ALL: "States.ALL",
  TaskFailed: "States.TaskFailed",
  Timeout: "States.Timeout",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  BranchFailed: "States.BranchFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  QueryEvaluationError: "States.QueryEvaluationError",
  DataLimitExceeded: "States.DataLimitExceeded",
  Runtime: "States.Runtime",
} as const;

/**
 * An ASL error: what Retry and Catch match on (`Error`) plus its `Cause`.
 * Everything that goes wrong inside a running state is turned into one of these.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly cause: string = "",
  ) {
    super(`${error}: ${cause}`);
    this.name = "StatesError";
  }

  /** The error object a Catcher passes on as `$states.errorOutput` (and as output when it has no Output). */
  toErrorOutput(): { Error: string; Cause: string } {
    return { Error: this.error, Cause: this.cause };
  }
}

/** A definition refused before running, with the JSON path of every bad field. */
export class DefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super(`Invalid state machine definition:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "DefinitionError";
  }
}

/** Raised by sendTask* like the API does: InvalidToken, TaskDoesNotExist, TaskTimedOut, InvalidOutput. */
export class TaskTokenError extends Error {
  constructor(
    readonly code: "InvalidToken" | "TaskDoesNotExist" | "TaskTimedOut" | "InvalidOutput",
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Thrown into fibers whose branch, iteration or execution was stopped; never reaches the caller. */
export class AbortedError extends Error {
  constructor() {
    super("aborted");
    this.name = "AbortedError";
  }
}
