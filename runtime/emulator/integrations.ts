import { ErrorNames, StatesError } from "./errors.ts";
import type { Runtime } from "./runtime.ts";
import type { TaskCallInfo } from "./types.ts";

const OPTIMIZED_PREFIX = "arn:aws:states:::";
const WAIT_FOR_TOKEN_SUFFIX = ".waitForTaskToken";

/** How a Task's `Resource` reads in history events (`resourceType`, `resource`) and how it is called. */
export interface ResourceKind {
  resourceType: string;
  resource: string;
  waitForTaskToken: boolean;
  /** `arn:aws:states:::lambda:invoke` and its `.waitForTaskToken` form. */
  lambdaInvoke: boolean;
}

/**
 * `arn:aws:states:::lambda:invoke.waitForTaskToken` → resourceType "lambda", resource
 * "invoke.waitForTaskToken", as TaskScheduled events show them. Other ARNs keep the ARN as resource.
 */
export function describeResource(arn: string): ResourceKind {
  const waitForTaskToken = arn.endsWith(WAIT_FOR_TOKEN_SUFFIX);
  if (arn.startsWith(OPTIMIZED_PREFIX)) {
    const rest = arn.slice(OPTIMIZED_PREFIX.length);
    const cut = rest.lastIndexOf(":");
    const resourceType = rest.slice(0, cut);
    const resource = rest.slice(cut + 1);
    const lambdaInvoke = resourceType === "lambda" && (resource === "invoke" || resource === `invoke${WAIT_FOR_TOKEN_SUFFIX}`);
    return { resourceType, resource, waitForTaskToken, lambdaInvoke };
  }
  return { resourceType: arn.split(":")[2] ?? "unknown", resource: arn, waitForTaskToken, lambdaInvoke: false };
}

/**
 * Calls what serves the Task (RunOptions.lambda or RunOptions.handlers) and returns its result:
 * for `lambda:invoke`, the Lambda Invoke response `{StatusCode: 200, Payload, ExecutedVersion}`.
 * A function error becomes Error = the error's name (Lambda's errorType) and Cause =
 * `{"errorType","errorMessage","trace"}` as JSON, as Step Functions reports Lambda function errors.
 */
export async function invokeIntegration(runtime: Runtime, kind: ResourceKind, args: unknown, info: TaskCallInfo): Promise<unknown> {
  if (kind.lambdaInvoke) {
    const { FunctionName, Payload } = (args ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    if (typeof FunctionName !== "string") {
      throw new StatesError(ErrorNames.Runtime, "lambda:invoke needs Arguments.FunctionName (a string)");
    }
    runtime.stats.lambdaInvocations++;
    const lambda = runtime.options.lambda;
    if (!lambda) throw new StatesError(ErrorNames.Runtime, "No `lambda` handler was given to run lambda:invoke");
    let payload: unknown;
    try {
      payload = await lambda(shortFunctionName(FunctionName), copyJson(Payload), { ...info, functionName: FunctionName });
    } catch (err) {
      throw lambdaFunctionError(err);
    }
    // Lambda's Node.js runtime sends the response as JSON; one that cannot be (a cycle, a BigInt,
    // nesting past the stack) fails the invocation with Runtime.JSONStringifyError.
    const json = jsonOrUndefined(payload ?? null);
    if (json === undefined) throw lambdaError("Runtime.JSONStringifyError", "Unable to stringify response body", []);
    return { StatusCode: 200, Payload: JSON.parse(json), ExecutedVersion: "$LATEST" };
  }
  const handlers = runtime.options.handlers ?? {};
  const handler = handlers[info.resource] ?? handlers[info.resource.replace(WAIT_FOR_TOKEN_SUFFIX, "")];
  if (!handler) throw new StatesError(ErrorNames.Runtime, `No handler was given for the resource ${info.resource}`);
  let result: unknown;
  try {
    result = await handler(copyJson(args), info);
  } catch (err) {
    throw handlerError(err);
  }
  if (result === undefined) return undefined;
  const json = jsonOrUndefined(result);
  if (json === undefined) throw new StatesError(ErrorNames.Runtime, `The result of ${info.resource} cannot be turned into JSON`);
  return JSON.parse(json);
}

/** The value as JSON text, or undefined when it has none (a cycle, a BigInt, nesting past the stack). */
function jsonOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** `arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST` → `charge`. */
export function shortFunctionName(functionName: string): string {
  const afterFunction = functionName.includes(":function:") ? functionName.split(":function:")[1]! : functionName;
  return afterFunction.split(":")[0]!;
}

function lambdaFunctionError(err: unknown): StatesError {
  if (err instanceof StatesError) return err; // a service-level error such as Lambda.ServiceException
  const e = err instanceof Error ? err : new Error(String(err));
  const errorType = e.name || "Error";
  const trace = (e.stack ?? "").split("\n").slice(1).map((line) => line.trim());
  return lambdaError(errorType, e.message, trace);
}

function lambdaError(errorType: string, errorMessage: string, trace: string[]): StatesError {
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

function handlerError(err: unknown): StatesError {
  if (err instanceof StatesError) return err;
  const e = err as { error?: unknown; cause?: unknown; name?: unknown; message?: unknown } | null;
  if (e && typeof e.error === "string") return new StatesError(e.error, typeof e.cause === "string" ? e.cause : "");
  if (err instanceof Error) return new StatesError(err.name || "Error", err.message);
  return new StatesError("Error", String(err));
}

/** Handlers get their own copy, so that nothing they change leaks back into the definition or state data. */
function copyJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
