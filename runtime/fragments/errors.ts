/**
 * Errors across the Lambda boundary.
 *
 * A fragment that throws becomes a Lambda function error: Step Functions reports
 * `Error` = the error's name and `Cause` = `{"errorType","errorMessage","trace"}` as JSON. The
 * catch code of the handler must then see the error the SDK would give it (a `StepError` whose
 * `cause` carries the original class name, a `CallbackTimeoutError`, ...). Catchers store the raw
 * `{Error, Cause}` together with the kind of state that failed (an `ErrorRecord`); `toError`
 * rebuilds the SDK's error from it inside the next fragment. The names and the record are part of
 * the protocol with the compiled machine (protocol/errors.ts).
 */
import {
  CALLBACK_SUBMITTER_ERROR,
  CALLBACK_TIMED_OUT,
  CALLBACK_TIMEOUT_ERROR,
  CAUSE_MARKER,
  CODE_FAILURE_MARKER,
  THROWN_MARKER,
  type ErrorRecord,
} from "../../protocol/index.ts";

/** The SDK error classes, taken from the same copy of the SDK that the user's code imports. */
export interface SdkErrorClasses {
  StepError: ErrorClass;
  CallbackTimeoutError: ErrorClass;
  CallbackExternalError: ErrorClass;
  CallbackSubmitterError: ErrorClass;
  ChildContextError: ErrorClass;
  InvokeError: ErrorClass;
  PromiseCombinatorError: ErrorClass;
}
type ErrorClass = new (message?: string, cause?: Error) => Error;

/** An error that reaches Step Functions with exactly this name and message, carrying an optional cause. */
export function namedError(name: string, message: string, cause?: { errorType: string; errorMessage: string; retryAfterSeconds?: number }): Error {
  const error = new Error(message);
  error.name = name;
  // Lambda reports only errorType, errorMessage and the stack lines (trace), so the cause rides in the trace.
  error.stack = `${name}: ${message}` + (cause ? `\n    ${CAUSE_MARKER}${JSON.stringify(cause)}` : "");
  return error;
}

/**
 * What the SDK records of a thrown value (its createErrorObjectFromError): an error, or anything
 * with `name` and `message`, gives those; any other value (a string, a number, an object without
 * them) has no type and the message "Unknown error".
 */
export function sdkErrorObject(thrown: unknown): { type?: string; message: string } {
  if (thrown instanceof Error && typeof (thrown as { errorType?: unknown }).errorType === "string") {
    return { type: (thrown as unknown as { errorType: string }).errorType, message: thrown.message }; // the SDK's own errors
  }
  const errorLike = thrown instanceof Error || (thrown !== null && typeof thrown === "object" && "message" in thrown && "name" in thrown);
  if (!errorLike) return { message: "Unknown error" };
  const { name, message } = thrown as { name: unknown; message: unknown };
  return { type: name === undefined ? undefined : String(name), message: message === undefined ? "" : String(message) };
}

/** The default messages of the SDK's errors rebuilt from a record with an empty message (DurableOperationError.fromErrorObject). */
const DEFAULT_MESSAGES: Record<string, string> = {
  StepError: "Step failed",
  CallbackError: "Callback failed",
  CallbackExternalError: "Callback failed",
  CallbackTimeoutError: "Callback timed out",
  CallbackSubmitterError: "Callback submitter failed",
  InvokeError: "Invoke failed",
  ChildContextError: "Child context failed",
  WaitForConditionError: "Wait for condition failed",
  PromiseCombinatorError: "Promise combinator failed",
};

/** The message of the StepError the SDK raises when a step body threw `thrown`, and the cause it gives it. */
export function stepFailure(thrown: unknown): { message: string; cause: { errorType: string; errorMessage: string } } {
  const { type, message } = sdkErrorObject(thrown);
  return { message: message || (type && DEFAULT_MESSAGES[type]) || "Unknown error", cause: { errorType: type || "Error", errorMessage: message } };
}

/**
 * The error a fragment fails with when its code threw `thrown`: named as the SDK reports the
 * value, and carrying it encoded (`encoded`, when it could be) in a stack line, so that the
 * catch block that gets it from the Catch record sees the value itself (`thrownValue`).
 * Lambda reports the stack lines as the Cause's trace.
 */
export function carriedFailure(thrown: unknown, encoded: unknown): Error {
  const { type, message } = sdkErrorObject(thrown);
  const error = new Error(message);
  error.name = type || "Error";
  const stack = thrown instanceof Error ? (thrown.stack ?? "").split("\n").slice(1) : [];
  const carried = encoded === undefined ? undefined : JSON.stringify(encoded);
  // Step Functions keeps 32,768 characters of a Cause (the stack lines follow): a larger value is not carried (the catch block then gets an Error of that name and message).
  const line = carried !== undefined && carried.length < 16_000 ? [`    ${THROWN_MARKER}${carried}`] : [];
  error.stack = [`${error.name}: ${message}`, `    ${CODE_FAILURE_MARKER}`, ...line, ...stack].join("\n");
  return error;
}

/**
 * What Step Functions reports when a Lambda function throws `thrown`: `Error` is the error's
 * name and `Cause` the Lambda runtime's `{"errorType","errorMessage","trace"}` as JSON. Used
 * where a fragment returns an error instead of throwing it (`threw` in dispatcher.ts).
 */
export function lambdaError(thrown: unknown): { Error: string; Cause: string } {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errorType = error.name || "Error";
  const trace = (error.stack ?? "").split("\n").slice(1).map((line) => line.trim());
  return { Error: errorType, Cause: JSON.stringify({ errorType, errorMessage: error.message, trace }) };
}

/** The value a fragment's code threw, when the record's Cause carries it (carriedFailure). */
export function thrownValue(record: ErrorRecord): { encoded: unknown } | undefined {
  const lambda = parseLambdaCause(record.Cause);
  const lines = Array.isArray(lambda?.trace) ? lambda.trace : [];
  for (const line of lines) {
    const at = line.indexOf(THROWN_MARKER);
    if (at >= 0) return { encoded: JSON.parse(line.slice(at + THROWN_MARKER.length)) };
  }
  return undefined;
}

interface LambdaErrorCause {
  errorType?: string;
  errorMessage?: string;
  trace?: string[] | string;
}

function parseLambdaCause(cause: string | undefined): LambdaErrorCause | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause);
    return parsed && typeof parsed === "object" && "errorMessage" in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function causeFromTrace(trace: LambdaErrorCause["trace"]): { errorType: string; errorMessage: string } | undefined {
  const lines = Array.isArray(trace) ? trace : typeof trace === "string" ? trace.split("\n") : [];
  for (const line of lines) {
    const at = line.indexOf(CAUSE_MARKER);
    if (at >= 0) return JSON.parse(line.slice(at + CAUSE_MARKER.length));
  }
  return undefined;
}

const BUILTIN_ERRORS: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function plainError(name: string, message: string): Error {
  const Class = BUILTIN_ERRORS[name];
  const error = Class ? new Class(message) : new Error(message);
  if (!Class) error.name = name;
  return error;
}

/** The cause the SDK rebuilds from a checkpoint: its name is an own property, which JSON.stringify shows. */
function rebuiltCause(name: string, message: string): Error {
  const error = plainError(name, message);
  error.name = name;
  return error;
}

/** The error the handler's catch block sees under the SDK, rebuilt from what a Catch stored. */
export function toError(record: ErrorRecord, sdk: SdkErrorClasses): Error {
  const lambda = parseLambdaCause(record.Cause);
  const message = lambda?.errorMessage ?? record.Cause ?? "";
  const originalCause = causeFromTrace(lambda?.trace);
  const causeError = originalCause ? rebuiltCause(originalCause.errorType, originalCause.errorMessage) : undefined;

  if (record.kind === "invoke") return new sdk.InvokeError(message, new Error(message));
  if (record.kind === "child" && record.inner) return new sdk.ChildContextError(message, toError(record.inner, sdk));
  if (record.kind === "promise" && record.inner) return new sdk.PromiseCombinatorError(message, toError(record.inner, sdk));
  if (record.kind === "callback") {
    // The Catch of a callback Task has already named the error as the SDK does (states.ts, catcher).
    if (record.Error === CALLBACK_TIMEOUT_ERROR) {
      const timedOut = message || CALLBACK_TIMED_OUT;
      return new sdk.CallbackTimeoutError(timedOut, rebuiltCause(record.inner ? record.inner.Error : CALLBACK_TIMEOUT_ERROR, timedOut));
    }
    // The SDK runs the submitter as a step: its StepError becomes the cause.
    if (record.Error === CALLBACK_SUBMITTER_ERROR) return new sdk.CallbackSubmitterError(message, new sdk.StepError(message, causeError));
    // An answer's failure: its message is the answerer's text as given, even when that text reads
    // like the JSON of a Lambda error. createCallback's record keeps the answer's errorType
    // (error-records.ts); the SDK names the cause by it.
    // Its cause has the answer's own message, even empty (the record's Cause is then the SDK's default).
    const answered = record.Cause ?? "";
    const inner = record.inner;
    return new sdk.CallbackExternalError(answered, inner ? rebuiltCause(inner.Error || "Error", inner.Cause ?? "") : rebuiltCause(record.Error, answered));
  }
  return errorOfName(record.Error, message, causeError, sdk);
}

/** An error of the class its name says: an SDK error class, a built-in one, or an Error renamed. */
export function errorOfName(name: string, message: string, cause: Error | undefined, sdk: SdkErrorClasses): Error {
  const SdkClass = (sdk as unknown as Record<string, ErrorClass | undefined>)[name];
  if (SdkClass && name.endsWith("Error") && !BUILTIN_ERRORS[name]) return new SdkClass(message, cause);
  const error = plainError(name, message);
  if (cause) (error as Error & { cause?: unknown }).cause = cause;
  return error;
}
