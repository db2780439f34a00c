import { AwsError } from "./aws-error.ts";
import type { Functions } from "./functions.ts";

export interface RestResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const FUNCTIONS = "/2015-03-31/functions";

/**
 * The Lambda operations `serve` answers (REST-JSON, API version 2015-03-31): CreateFunction,
 * UpdateFunctionCode, GetFunction, Invoke. Returns undefined for paths that are not Lambda's.
 */
export async function lambdaRoute(functions: Functions, method: string, pathname: string, body: unknown, region: string): Promise<RestResponse | undefined> {
  if (!pathname.startsWith(FUNCTIONS)) return undefined;
  const [name, action] = pathname.slice(FUNCTIONS.length).split("/").filter(Boolean);
  const json = (body ?? {}) as Record<string, unknown>;
  if (name === undefined && method === "POST") return { status: 201, body: functions.create(json, region) };
  if (name !== undefined && action === undefined && method === "GET") return { status: 200, body: functions.get(name) };
  if (name !== undefined && action === "code" && method === "PUT") return { status: 200, body: functions.updateCode(name, json) };
  if (name !== undefined && action === "invocations" && method === "POST") return invoke(functions, name, body);
  throw new AwsError("UnknownOperationException", `serve does not implement ${method} ${pathname}`, 404);
}

/** A function error is still HTTP 200, flagged by X-Amz-Function-Error, as Lambda does it. */
async function invoke(functions: Functions, name: string, payload: unknown): Promise<RestResponse> {
  try {
    return { status: 200, body: (await functions.invoke(name, payload)) ?? null, headers: { "X-Amz-Executed-Version": "$LATEST" } };
  } catch (err) {
    if (err instanceof AwsError) throw err;
    const e = err instanceof Error ? err : new Error(String(err));
    const trace = (e.stack ?? "").split("\n").slice(1).map((line) => line.trim());
    return { status: 200, body: { errorType: e.name, errorMessage: e.message, trace }, headers: { "X-Amz-Function-Error": "Unhandled" } };
  }
}
