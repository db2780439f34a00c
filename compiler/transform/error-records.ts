/**
 * What a Catch stores when a state fails: an error record `{kind, Error, Cause}` in an ASL
 * Variable, from which the next fragment rebuilds the error the SDK would have thrown
 * (runtime/fragments/errors.ts, toError).
 */

export type ErrorKind = "code" | "step" | "callback" | "invoke" | "createCallback";

/** The error record (JSONata) a Catch stores for a failed state of this kind (runtime/fragments/errors.ts reads it). */
export function errorRecordOf(kind: ErrorKind): string {
  switch (kind) {
    case "invoke":
      return `{"kind": "invoke", "Error": "InvokeError", "Cause": ${messageOf("$states.errorOutput.Cause")}}`;
    case "callback":
      // The code run before the submitter (merged into the Task) fails as a Lambda function
      // error, whose Cause is the runtime's JSON with a trace; an answer's failure never is.
      return '( $e := $states.errorOutput.Error; $c := $states.errorOutput.Cause; $timeout := $e in ["States.Timeout", "States.HeartbeatTimeout"]; $code := $e != "CallbackSubmitterError" and $exists($c) and $contains($c, /^\\{"error(Type|Message)":.*"trace":\\[/); $code ? {"kind": "code", "Error": $e, "Cause": $c} : {"kind": "callback", "Error": $timeout ? "CallbackTimeoutError" : $e = "CallbackSubmitterError" ? $e : "CallbackExternalError", "Cause": $e = "States.HeartbeatTimeout" ? "Callback timed out on heartbeat" : $timeout ? "Callback timed out" : ($exists($c) and $c != "") ? $c : "Callback failed"} )';
    case "createCallback":
      // The step that hands the id on failed (StepError), or the callback did.
      return `$states.errorOutput.Error = "StepError" ? ${errorRecordOf("step")} : ${errorRecordOf("callback")}`;
    default:
      return `{"kind": "${kind}", "Error": $states.errorOutput.Error, "Cause": $states.errorOutput.Cause}`;
  }
}

/**
 * The record of an error that wraps another, as the SDK wraps an error leaving a child context
 * (ChildContextError) or failing promise.all (PromiseCombinatorError): same message, the inner
 * record kept as cause. `inner` is JSONata for the inner record.
 */
export function wrappedRecord(kind: "child" | "promise", inner: string): string {
  const error = kind === "child" ? "ChildContextError" : "PromiseCombinatorError";
  return `{"kind": "${kind}", "Error": "${error}", "Cause": ${messageOf(`${inner}.Cause`)}, "inner": ${inner}}`;
}

/** JSONata for the message of an error Cause: a Lambda error's `errorMessage`, or the Cause itself. */
export function messageOf(cause: string): string {
  return `( $c := ${cause}; $exists($c) and $substring($c, 0, 1) = "{" ? $parse($c).errorMessage : $c )`;
}

/**
 * A callback's answer as the handler gets it: the SDK hands over the raw string, so a JSON string
 * answer is taken as that string; an empty answer is no answer, `undefined` (the undefined marker).
 */
export const CALLBACK_ANSWER = '$states.result = "" ? {"__undefined__": true} : $type($states.result) = "string" ? $states.result : $string($states.result)';
