/**
 * An error as the AWS APIs return it. Step Functions (AWS JSON 1.0) sends HTTP 400 with
 * `{"__type": "com.amazonaws.swf.service.v2.model#<Type>", "message"}`; Lambda (REST-JSON) sends the
 * type in the `x-amzn-ErrorType` header. The SDK turns either into its typed exception.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const SFN_ERROR_PREFIX = "com.amazonaws.swf.service.v2.model#";

/** A required string field of a request body, or ValidationException naming it. */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw new AwsError("ValidationException", `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** `name` constraints shared by state machines, executions and functions: 1-80 of [A-Za-z0-9_-]. */
export function checkName(name: string, errorType: string, max = 80): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || name.length > max) throw new AwsError(errorType, `Invalid Name: '${name}'`);
}
