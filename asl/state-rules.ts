import type { StateGraph } from "./definition.ts";
import { ErrorNames, type DefinitionProblem } from "./errors.ts";
import { DefinitionLimits as Limits } from "./limits.ts";
import { walkStates } from "./walk.ts";

/**
 * Rules the AWS docs state that asl-validator 4 does not check (asl.md B.3), plus what this
 * emulator cannot run. Each problem names the JSON path of the bad field.
 */
export function stateRuleProblems(definition: StateGraph): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  // This engine is JSONata-only, and one machine must not mix query languages.
  if (definition.QueryLanguage !== "JSONata") {
    problem("$.QueryLanguage", 'must be "JSONata": the emulator runs JSONata-mode machines only');
  }
  for (const { state, path } of walkStates(definition)) {
    const s = state as unknown as Record<string, unknown>;
    if (s.QueryLanguage !== undefined && s.QueryLanguage !== "JSONata") {
      problem(`${path}.QueryLanguage`, "a JSONata state machine must not contain JSONPath states");
    }
    checkErrorLists(s.Retry, `${path}.Retry`, problem);
    checkErrorLists(s.Catch, `${path}.Catch`, problem);
    if (Array.isArray(s.Retry)) s.Retry.forEach((r, i) => checkRetrier(r as Record<string, unknown>, `${path}.Retry[${i}]`, problem));
    if (typeof s.TimeoutSeconds === "number" && typeof s.HeartbeatSeconds === "number" && s.HeartbeatSeconds >= s.TimeoutSeconds) {
      problem(`${path}.HeartbeatSeconds`, "must be smaller than TimeoutSeconds");
    }
    for (const field of ["ItemReader", "ItemBatcher", "ResultWriter", "Iterator"]) {
      if (s[field] !== undefined) problem(`${path}.${field}`, `${field} is not supported by the emulator (use an inline Map with ItemProcessor)`);
    }
  }
  return problems;
}

/** `States.ALL` must be alone in its ErrorEquals and in the last retrier or catcher (AWS docs, "Error handling"). */
function checkErrorLists(list: unknown, path: string, problem: (path: string, message: string) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => {
    const errorEquals = (entry as { ErrorEquals?: unknown }).ErrorEquals;
    if (!Array.isArray(errorEquals) || !errorEquals.includes(ErrorNames.ALL)) return;
    if (errorEquals.length > 1) problem(`${path}[${i}].ErrorEquals`, "States.ALL must appear alone in ErrorEquals");
    if (i !== list.length - 1) problem(`${path}[${i}].ErrorEquals`, "the entry with States.ALL must be the last one");
  });
}

/** Retrier field ranges (AWS docs, "Retrying after an error"). */
function checkRetrier(r: Record<string, unknown>, path: string, problem: (path: string, message: string) => void): void {
  const intIn = (field: string, min: number, max: number) => {
    const v = r[field];
    if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= min && v <= max)) {
      problem(`${path}.${field}`, `must be an integer from ${min} to ${max}`);
    }
  };
  intIn("MaxAttempts", 0, Limits.maxSecondsField);
  intIn("IntervalSeconds", 1, Limits.maxSecondsField);
  intIn("MaxDelaySeconds", 1, 31_622_400);
  if (r.BackoffRate !== undefined && !(typeof r.BackoffRate === "number" && r.BackoffRate >= 1)) {
    problem(`${path}.BackoffRate`, "must be a number of at least 1.0");
  }
  if (r.JitterStrategy !== undefined && r.JitterStrategy !== "FULL" && r.JitterStrategy !== "NONE") {
    problem(`${path}.JitterStrategy`, 'must be "FULL" or "NONE"');
  }
}
