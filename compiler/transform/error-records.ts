/**
 * What a Catch stores when a state fails: an error record `{kind, Error, Cause}` in an ASL
 * Variable, from which the next fragment rebuilds the error the SDK would have thrown
 * (runtime/fragments/errors.ts, toError).
 */

import {
  CALLBACK_EXTERNAL_ERROR,
  CALLBACK_SUBMITTER_ERROR,
  CALLBACK_TIMED_OUT,
  CALLBACK_TIMEOUT_ERROR,
  CHILD_CONTEXT_ERROR,
  CODE_FAILURE_MARKER,
  ErrorRecordField as F,
  INVOKE_ERROR,
  PROMISE_COMBINATOR_ERROR,
  STEP_ERROR,
  UNDEFINED_MARKER_KEY,
  type ErrorRecord,
} from "../../protocol/index.ts";

/** `codeThenStep`: a step's Task that also runs the code before the step (selection.ts mergesIntoOperation). */
export type ErrorKind = "code" | "step" | "codeThenStep" | "callback" | "invoke" | "createCallback";

/** A Lambda Cause whose trace has the line a fragment's code failure carries (runtime/fragments/errors.ts carriedFailure), as a JSONata regex. */
const CODE_FAILURE_TRACE = `/"trace":\\[(.*,)?"\\s*${CODE_FAILURE_MARKER}"/`;

/** JSONata building an error record; `error`, `cause` and `inner` are JSONata, `kind` a literal. */
function record(kind: ErrorRecord["kind"], error: string, cause: string, inner?: string): string {
  return `{"${F.kind}": "${kind}", "${F.error}": ${error}, "${F.cause}": ${cause}${inner === undefined ? "" : `, "${F.inner}": ${inner}`}}`;
}

/** The error record (JSONata) a Catch stores for a failed state of this kind (runtime/fragments/errors.ts reads it). */
export function errorRecordOf(kind: ErrorKind, keepsAnswerType = false): string {
  switch (kind) {
    case "invoke":
      return record("invoke", `"${INVOKE_ERROR}"`, messageOf("$states.errorOutput.Cause"));
    case "callback": {
      // The code run before the submitter (merged into the Task) fails as a Lambda function
      // error whose trace has the code-failure line; an answer's failure, whatever its text
      // (even the JSON of a Lambda error), has not.
      const error = `$timeout ? "${CALLBACK_TIMEOUT_ERROR}" : $e = "${CALLBACK_SUBMITTER_ERROR}" ? $e : "${CALLBACK_EXTERNAL_ERROR}"`;
      // createCallback's error keeps the answer's errorType as its cause's name (the SDK's
      // createCallback does; its waitForCallback does not): an inner record carries it
      // (`undefined` is a JSONata path that matches nothing: no inner).
      // A timeout has no errorType: the SDK names that cause "Error".
      const inner = keepsAnswerType ? `($e = "${CALLBACK_SUBMITTER_ERROR}" ? undefined : ${record("code", `$timeout ? "Error" : $e`, "$c")})` : undefined;
      const cause = `$e = "States.HeartbeatTimeout" ? "${CALLBACK_TIMED_OUT} on heartbeat" : $timeout ? "${CALLBACK_TIMED_OUT}" : ($exists($c) and $c != "") ? $c : "Callback failed"`;
      return `( $e := $states.errorOutput.Error; $c := $states.errorOutput.Cause; $timeout := $e in ["States.Timeout", "States.HeartbeatTimeout"]; $code := $e != "${CALLBACK_SUBMITTER_ERROR}" and $exists($c) and $contains($c, ${CODE_FAILURE_TRACE}); $code ? ${record("code", "$e", "$c")} : ${record("callback", error, cause, inner)} )`;
    }
    case "codeThenStep":
      // The code before the step fails as a code Task would (its trace has the code-failure line,
      // and the catch block gets the value thrown); the step's own failures (StepError, a
      // serdes failure, a Lambda service error) have no such line.
      return `( $c := $states.errorOutput.Cause; $exists($c) and $contains($c, ${CODE_FAILURE_TRACE}) ? ${record("code", "$states.errorOutput.Error", "$c")} : ${record("step", "$states.errorOutput.Error", "$c")} )`;
    case "createCallback":
      // The step that hands the id on failed (StepError), or the callback did.
      return `$states.errorOutput.Error = "${STEP_ERROR}" ? ${errorRecordOf("step")} : ${errorRecordOf("callback", true)}`;
    default:
      return record(kind, "$states.errorOutput.Error", "$states.errorOutput.Cause");
  }
}

/** The record a createCallback's timeout stores (as its Catch would), for a deadline already past at the await. */
export function callbackTimeoutRecord(message: string): ErrorRecord {
  return { kind: "callback", Error: CALLBACK_TIMEOUT_ERROR, Cause: message, inner: { kind: "code", Error: "Error", Cause: message } };
}

/**
 * The record of an error that wraps another, as the SDK wraps an error leaving a child context
 * (ChildContextError) or failing promise.all (PromiseCombinatorError): same message, the inner
 * record kept as cause. `inner` is JSONata for the inner record.
 */
export function wrappedRecord(kind: "child" | "promise", inner: string): string {
  const error = kind === "child" ? CHILD_CONTEXT_ERROR : PROMISE_COMBINATOR_ERROR;
  return record(kind, `"${error}"`, messageOf(`${inner}.Cause`), inner);
}

/** JSONata for a failed step's record, from the raw `{Error, Cause}` the retry loop caught (`failure`). */
export function stepRecordOf(failure: string): string {
  return record("step", `${failure}.Error`, `${failure}.Cause`);
}

/** JSONata for the message of an error Cause: a Lambda error's `errorMessage`, or the Cause itself. */
export function messageOf(cause: string): string {
  return `( $c := ${cause}; $exists($c) and $substring($c, 0, 1) = "{" ? $parse($c).errorMessage : $c )`;
}

/**
 * A callback's answer as the handler gets it: the SDK hands over the raw string, so a JSON string
 * answer is taken as that string; an empty answer is no answer, `undefined` (the undefined marker).
 */
export const CALLBACK_ANSWER = `$states.result = "" ? {"${UNDEFINED_MARKER_KEY}": true} : $type($states.result) = "string" ? $states.result : $string($states.result)`;
