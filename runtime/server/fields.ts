import { AwsError } from "./aws-error.ts";

/** A request body: a JSON object (server.ts refuses anything else before an operation sees it). */
export type Body = Record<string, unknown>;

/**
 * The request field checks the APIs make before an operation runs, with their messages
 * (`1 validation error detected: Value at 'input' failed to satisfy constraint: ...`). The value
 * itself is left out of the message, as AWS does for fields it treats as sensitive (input, output).
 */
function invalid(field: string, constraint: string): AwsError {
  return new AwsError("ValidationException", `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`);
}

/** Lengths of payload fields count UTF-8 bytes, as the API documents for input and output. */
function checkLength(field: string, value: string, maxBytes: number | undefined): string {
  if (maxBytes !== undefined && value.length * 3 > maxBytes && Buffer.byteLength(value, "utf8") > maxBytes) {
    throw invalid(field, `Member must have length less than or equal to ${maxBytes}`);
  }
  return value;
}

/** A required, non-empty string field, or ValidationException naming it. */
export function requiredString(body: Body, field: string, maxBytes?: number): string {
  const value = body[field];
  if (value === undefined || value === null || value === "") throw invalid(field, "Member must not be null");
  if (typeof value !== "string") throw invalid(field, "Member must be a string");
  return checkLength(field, value, maxBytes);
}

export function optionalString(body: Body, field: string, maxBytes?: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(field, "Member must be a string");
  return checkLength(field, value, maxBytes);
}

export function optionalInteger(body: Body, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw invalid(field, "Member must be an integer");
  if (value < min) throw invalid(field, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw invalid(field, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalid(field, "Member must be a boolean");
  return value;
}

export function optionalEnum<T extends string>(body: Body, field: string, values: readonly T[]): T | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && !values.includes(value as T)) throw invalid(field, `Member must satisfy enum value set: [${values.join(", ")}]`);
  return value as T | undefined;
}

/** `name` constraints shared by state machines, executions and functions: 1-80 of [A-Za-z0-9_-]. */
export function checkName(name: string, errorType: string, max = 80): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || name.length > max) throw new AwsError(errorType, `Invalid Name: '${name}'`);
}
