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
      return new sdk.CallbackTimeoutError(timedOut, rebuiltCause(CALLBACK_TIMEOUT_ERROR, timedOut));
    }
    if (record.Error === CALLBACK_SUBMITTER_ERROR) return new sdk.CallbackSubmitterError(message, causeError);
    return new sdk.CallbackExternalError(message, rebuiltCause(record.Error, message));
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

/** An Error kept in a local across a durable operation travels as its name, message and cause. */
export interface ErrorValue {
  name: string;
  message: string;
  cause?: ErrorValue;
}

export function errorToValue(error: Error): ErrorValue {
  const cause = (error as Error & { cause?: unknown }).cause;
  return { name: error.name, message: error.message, ...(cause instanceof Error && { cause: errorToValue(cause) }) };
}

export function errorFromValue(value: ErrorValue, sdk: SdkErrorClasses): Error {
  const cause = value.cause ? errorFromValue(value.cause, sdk) : undefined;
  return errorOfName(value.name, value.message, cause, sdk);
}
