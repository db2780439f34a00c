import { ErrorNames } from "../../asl/index.ts";

// The ASL error names and the definition error belong to the definition (asl/); re-exported for the engine.
export { DefinitionError, ErrorNames } from "../../asl/index.ts";

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
