import { AwsError } from "./aws-error.ts";
import type { Body } from "./fields.ts";
import type { Functions } from "./functions.ts";

export interface RestResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const LAMBDA_PATH = "/2015-03-31/functions";

/**
 * The Lambda operations `serve` answers (REST-JSON, API version 2015-03-31): CreateFunction,
 * UpdateFunctionCode, GetFunction, Invoke. `body` is the raw request body; server.ts has checked its
 * size and content type.
 */
export async function lambdaRoute(functions: Functions, method: string, pathname: string, body: string, region: string): Promise<RestResponse> {
  const [name, action, ...more] = pathname.slice(LAMBDA_PATH.length).split("/").filter(Boolean);
  if (more.length === 0) {
    if (name === undefined && method === "POST") return { status: 201, body: functions.create(jsonObject(body, "SerializationException"), region) };
    if (name !== undefined && action === undefined && method === "GET") return { status: 200, body: functions.get(name) };
    if (name !== undefined && action === "code" && method === "PUT") return { status: 200, body: functions.updateCode(name, jsonObject(body, "SerializationException")) };
    if (name !== undefined && action === "invocations" && method === "POST") return invoke(functions, name, body);
  }
  throw new AwsError("UnknownOperationException", `serve does not implement ${method} ${pathname}`, 404);
}

/** A function error is still HTTP 200, flagged by X-Amz-Function-Error, as Lambda does it. */
async function invoke(functions: Functions, name: string, body: string): Promise<RestResponse> {
  const payload = body.trim() === "" ? {} : parseJson(body, "InvalidRequestContentException");
  const outcome = await functions.invoke(name, payload);
  if ("error" in outcome) return { status: 200, body: outcome.error, headers: { "X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST" } };
  return { status: 200, body: outcome.value, headers: { "X-Amz-Executed-Version": "$LATEST" } };
}

function parseJson(text: string, errorType: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError(errorType, "Could not parse request body into json");
  }
}

/** The body of a JSON operation: a JSON object, or the error the API gives. */
export function jsonObject(text: string, errorType: string): Body {
  if (text.trim() === "") return {};
  const value = parseJson(text, errorType);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new AwsError(errorType, "The request body must be a JSON object");
  return value as Body;
}
