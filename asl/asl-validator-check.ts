import { runAslValidator } from "./asl-validator-run.ts";
import type { DefinitionProblem } from "./errors.ts";
import { hideStructuralDataKeys } from "./data-keys.ts";
import { isExpressionString } from "./expressions.ts";
import { member } from "./walk.ts";

/**
 * Runs asl-validator 4's checks (schema, transitions, JSONata syntax; asl-validator-run.ts, which
 * loads them at the first check, so that a run of a kept build loads none: api/run.ts) on a deep
 * copy, because they write `QueryLanguage` into every state of the object they are given.
 *
 * The copy is adapted where asl-validator is stricter than the AWS docs, so that only real
 * problems are reported:
 * - Multi-line JSONata (asl.md B.3): we accept it, as Step Functions does; asl-validator rejects it
 *   only because its pattern `^\{% .+ %\}$` has no dotAll flag, so line breaks inside `{% %}` are
 *   replaced by spaces in the copy (the jsonata syntax check still runs on the result).
 * - `Output` "accepts any JSON value (object, array, string, number, boolean, null)" (AWS docs,
 *   "Transforming data with JSONata"); asl-validator allows only an object or an expression, so an
 *   array becomes an object of its items and a literal scalar becomes `{}` in the copy.
 * - Keys of data named like structure (a local `States`): see data-keys.ts.
 */
export function aslValidatorProblems(definition: object): DefinitionProblem[] {
  const { copy, originalPointer } = copyForAslValidator(definition);
  const { isValid, errors } = runAslValidator(copy);
  if (isValid) return [];
  const seen = new Set<string>();
  const problems: DefinitionProblem[] = [];
  for (const e of errors) {
    const pointer = e.schemaError?.instancePath;
    const path = pointer ? pointerToPath(originalPointer(pointer)) : "$";
    const message = pointer ? e.Message.replace(`${pointer} is invalid. `, "") : e.Message;
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message: `${message} (${e["Error code"]})` });
  }
  return problems;
}

/** The adapted deep copy asl-validator's checks are run on, and how to map its pointers back. */
export function copyForAslValidator(definition: object): { copy: Record<string, unknown>; originalPointer: (pointer: string) => string } {
  const copy = structuredClone(definition) as Record<string, unknown>;
  const originalPointer = hideStructuralDataKeys(copy);
  adaptForAslValidator(copy);
  return { copy, originalPointer };
}

function adaptForAslValidator(value: unknown): unknown {
  if (isExpressionString(value)) return value.replace(/\r?\n/g, " ");
  if (Array.isArray(value)) return value.map(adaptForAslValidator);
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(object)) object[k] = adaptForAslValidator(k === "Output" ? outputAsTemplateObject(v) : v);
  }
  return value;
}

function outputAsTemplateObject(output: unknown): unknown {
  if (Array.isArray(output)) return Object.fromEntries(output.map((item, i) => [String(i), item]));
  if (output === null || (typeof output !== "object" && !isExpressionString(output))) return {};
  return output;
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
