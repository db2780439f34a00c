import { jsonEqual, toJson } from "./json.ts";
import type { OperationRecord, Trace } from "./trace.ts";

/** One point where two traces disagree. */
export interface Difference {
  /** Where, e.g. "status", "result", "error.errorType", "operations[2].children[0].attempts". */
  path: string;
  /** The value in the expected (SDK) trace; undefined when absent there. */
  expected: unknown;
  /** The value in the actual (compiled) trace; undefined when absent there. */
  actual: unknown;
}

export interface Comparison {
  equal: boolean;
  differences: Difference[];
}

const RECORD_FIELDS = ["kind", "name", "status", "attempts", "waitSeconds"] as const;

/**
 * Compares two traces field by field (docs/verify.md). Both are first reduced to their JSON view,
 * so a member holding undefined equals a missing one and key order does not matter.
 */
export function compareTraces(expected: Trace, actual: Trace): Comparison {
  const e = toJson(expected) as Trace;
  const a = toJson(actual) as Trace;
  const differences: Difference[] = [];
  const check = (path: string, x: unknown, y: unknown) => {
    if (!jsonEqual(x, y)) differences.push({ path, expected: x, actual: y });
  };
  check("status", e.status, a.status);
  check("result", e.result, a.result);
  if (!unnamedThrow(e.error?.errorType, a.error?.errorType)) check("error.errorType", e.error?.errorType, a.error?.errorType);
  check("error.errorMessage", e.error?.errorMessage, a.error?.errorMessage);
  compareOperations("operations", e.operations ?? [], a.operations ?? [], differences);
  return { equal: differences.length === 0, differences };
}

/**
 * The one representation difference of error names (README, "Supported durable API"): a value thrown uncaught
 * with no name (a string, a plain object, an error whose name is "") fails the SDK's execution
 * with errorType "", the compiled one with "Error", because a Lambda function error needs a name
 * for Step Functions to report it. The messages are still compared.
 */
function unnamedThrow(expected: string | undefined, actual: string | undefined): boolean {
  return expected === "" && actual === "Error";
}

function compareOperations(path: string, expected: OperationRecord[], actual: OperationRecord[], out: Difference[]): void {
  const count = Math.max(expected.length, actual.length);
  for (let i = 0; i < count; i++) {
    const here = `${path}[${i}]`;
    const e = expected[i];
    const a = actual[i];
    if (!e || !a) {
      // A missing or extra operation is one difference; its fields would only repeat it.
      out.push({ path: here, expected: e, actual: a });
      continue;
    }
    for (const field of RECORD_FIELDS) {
      if (!jsonEqual(e[field], a[field])) out.push({ path: `${here}.${field}`, expected: e[field], actual: a[field] });
    }
    if (e.children !== undefined || a.children !== undefined) {
      compareOperations(`${here}.children`, e.children ?? [], a.children ?? [], out);
    }
  }
}
