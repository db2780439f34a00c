import { createRequire } from "node:module";
import type { DefinitionProblem } from "../types.ts";
import { isExpressionString } from "../expressions.ts";
import { member } from "./walk.ts";

const require = createRequire(import.meta.url);
type AslValidator = (definition: unknown) => {
  isValid: boolean;
  errors: Array<{ "Error code": string; Message: string; schemaError?: { instancePath?: string } }>;
};
const aslValidator = require("asl-validator") as AslValidator;

/**
 * Runs asl-validator 4 (schema, transitions, JSONata syntax) on a deep copy, because it writes
 * `QueryLanguage` into every state of the object it is given.
 *
 * Our choice on multi-line JSONata (asl.md B.3): we accept it, as Step Functions does; asl-validator
 * rejects it only because its pattern `^\{% .+ %\}$` has no dotAll flag, so the copy it checks has
 * line breaks inside `{% %}` replaced by spaces (the jsonata syntax check still runs on the result).
 */
export function aslValidatorProblems(definition: object): DefinitionProblem[] {
  const copy = withSingleLineExpressions(structuredClone(definition));
  const { isValid, errors } = aslValidator(copy);
  if (isValid) return [];
  const seen = new Set<string>();
  const problems: DefinitionProblem[] = [];
  for (const e of errors) {
    const pointer = e.schemaError?.instancePath;
    const path = pointer ? pointerToPath(pointer) : "$";
    const message = pointer ? e.Message.replace(`${pointer} is invalid. `, "") : e.Message;
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message: `${message} (${e["Error code"]})` });
  }
  return problems;
}

function withSingleLineExpressions(value: unknown): unknown {
  if (isExpressionString(value)) return value.replace(/\r?\n/g, " ");
  if (Array.isArray(value)) return value.map(withSingleLineExpressions);
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = withSingleLineExpressions(v);
  }
  return value;
}

/** `/States/Charge/Retry/0/ErrorEquals` → `$.States.Charge.Retry[0].ErrorEquals`. */
export function pointerToPath(pointer: string): string {
  return (
    "$" +
    pointer
      .split("/")
      .slice(1)
      .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : member(part)))
      .join("")
  );
}
