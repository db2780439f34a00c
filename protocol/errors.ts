/**
 * Errors between the compiled machine and the fragments: the names a fragment raises on purpose
 * (the machine's Retry, Catch and Choice states match them), and the record a Catch stores
 * (the machine writes it as JSONata; runtime/fragments/errors.ts, toError, reads it).
 */

/** A step attempt failed and its retry strategy asks for another one: raised by the dispatcher, matched by the Task's Retry or the retry loop. */
export const STEP_ATTEMPT_FAILED = "StepAttemptFailed";
/** A step (or a waitForCondition check) failed for good: raised by the dispatcher, told apart by the machine's Catch records. */
export const STEP_ERROR = "StepError";
/** A waitForCallback submitter failed for good: raised by the dispatcher, recognised by the machine's callback record. */
export const CALLBACK_SUBMITTER_ERROR = "CallbackSubmitterError";
/** The machine names a timed-out callback so (error record); toError rebuilds the SDK class of that name. */
export const CALLBACK_TIMEOUT_ERROR = "CallbackTimeoutError";
/** The machine names a callback answered with a failure so (error record); toError rebuilds it. */
export const CALLBACK_EXTERNAL_ERROR = "CallbackExternalError";
/** The message of a timed-out callback: the machine writes it, toError falls back to it. */
export const CALLBACK_TIMED_OUT = "Callback timed out";
/** The Error of a failed chained invoke's record (machine writes it). */
export const INVOKE_ERROR = "InvokeError";
/** The Error of a record wrapping the error that left a child context (machine writes it). */
export const CHILD_CONTEXT_ERROR = "ChildContextError";
/** The Error of a record wrapping promise.all's first failure (machine writes it). */
export const PROMISE_COMBINATOR_ERROR = "PromiseCombinatorError";
/**
 * A custom serdes threw: the SDK ends the invocation with SerdesFailedError, which no catch block
 * sees. Raised by the dispatcher; the machine's catchers send it past every handler to a Fail state.
 */
export const SERDES_FAILED_ERROR = "SerdesFailedError";
/** The machine asked for a fragment the bundle does not have: raised by the dispatcher. */
export const UNKNOWN_FRAGMENT = "UnknownFragment";

/** What a Catch stores in the `$caught` ASL variable: the machine builds it, toError reads it. */
export interface ErrorRecord {
  kind: "code" | "step" | "callback" | "child" | "invoke" | "promise";
  Error: string;
  Cause?: string;
  /** For "child": the error that left the child context; for "promise": the first failed operation's. */
  inner?: ErrorRecord;
}

/** The field names of an ErrorRecord, for the machine's JSONata that builds one. */
export const ErrorRecordField = { kind: "kind", error: "Error", cause: "Cause", inner: "inner" } as const satisfies Record<string, keyof ErrorRecord>;
