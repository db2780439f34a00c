import { aslValidatorRequire, type AslValidatorError, type AslValidatorResult, type SchemaValidateFunction } from "./asl-validator-modules.ts";
import { jsonSchemaErrors } from "./schema-errors.ts";
import { schemaValidateFunction } from "./schema-validate.ts";

/** asl-validator's default options, which its validator() passes to every check. */
const OPTIONS = { checkPaths: true, checkArn: true };

/**
 * Which properties of which states asl-validator's validator() allows at most one of (or exactly
 * one of), in its order: [state filter, checker, properties, error code, JSONPath to the object].
 * `NotTerminal` is its filter for states that must have End or Next (not Succeed, Fail, Choice).
 */
const STATE_CHECKS: Array<[string, "AtMostOne" | "ExactlyOne", string[], string, string?]> = [
  ["IsTask", "AtMostOne", ["TimeoutSeconds", "TimeoutSecondsPath"], "TaskTimeoutError"],
  ["IsTask", "AtMostOne", ["HeartbeatSeconds", "HeartbeatSecondsPath"], "TaskHeartbeatError"],
  ["IsMap", "ExactlyOne", ["ItemProcessor", "Iterator"], "MapItemProcessorError"],
  ["IsMap", "AtMostOne", ["ItemSelector", "Parameters"], "MapItemSelectorError"],
  ["IsWait", "ExactlyOne", ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"], "WaitDurationError"],
  ["NotTerminal", "ExactlyOne", ["End", "Next"], "TerminalStateWithNextError"],
  ["IsMap", "AtMostOne", ["ToleratedFailureCount", "ToleratedFailureCountPath"], "MapToleratedFailureError"],
  ["IsMap", "AtMostOne", ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"], "MapToleratedFailureError"],
  ["IsMap", "AtMostOne", ["MaxConcurrency", "MaxConcurrencyPath"], "MapMaxConcurrencyError"],
  ["IsMap", "AtMostOne", ["Items", "ItemsPath"], "MapItemsError"],
  ["IsMap", "AtMostOne", ["MaxItems", "MaxItemsPath"], "MapItemReaderMaxItemsError", "$.ItemReader.ReaderConfig"],
  ["IsMap", "AtMostOne", ["MaxItemsPerBatch", "MaxItemsPerBatchPath"], "MapItemBatcherError", "$.ItemBatcher"],
  ["IsMap", "AtMostOne", ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"], "MapItemBatcherError", "$.ItemBatcher"],
  ["IsFail", "AtMostOne", ["Cause", "CausePath"], "FailCauseProperty"],
  ["IsFail", "AtMostOne", ["Error", "ErrorPath"], "FailErrorProperty"],
];

/** Its other checks, in the order validator() runs them after the schema. */
const CHECKS: Array<[string, string]> = [
  ["./checks/missing-transition-target-errors", "missingTransitionTargetErrors"],
  ["./checks/state-transitions-errors", "stateTransitionsErrors"],
  ["./checks/duplicate-state-names-errors", "duplicateStateNames"],
  ["./checks/missing-terminal-state-errors", "missingTerminalStateErrors"],
  ["./checks/duplicate-payload-template-fields", "mustNotHaveDuplicateFieldNamesAfterEvaluation"],
];

/**
 * asl-validator 4's validator(definition) with its default options, the same result, but with
 * the schema check compiled once per process (schema-validate.ts) instead of at every call. Like
 * it, it writes the default `QueryLanguage` into every state of `definition`.
 */
export function runAslValidator(definition: Record<string, unknown>, validate: SchemaValidateFunction = schemaValidateFunction()): AslValidatorResult {
  const queryLanguage = definition.QueryLanguage ?? "JSONPath";
  const { JSONPath } = aslValidatorRequire("jsonpath-plus");
  for (const states of JSONPath({ path: "$..States", json: definition }) as Array<Record<string, Record<string, unknown>>>) {
    for (const name of Object.keys(states)) states[name].QueryLanguage ||= queryLanguage;
  }
  const errors = jsonSchemaErrors(definition, validate);
  if (errors.length === 0) {
    for (const [file, name] of CHECKS) errors.push(...aslValidatorRequire(file)[name](definition, OPTIONS));
    errors.push(...aslValidatorRequire("./checks/state-checks").stateChecks(definition, OPTIONS, stateChecks()));
  }
  return { isValid: errors.length === 0, errors };
}

function stateChecks() {
  const checks = aslValidatorRequire("./checks/state-checks");
  const { StateMachineErrorCode } = aslValidatorRequire("./types");
  const filters: Record<string, (entry: { state: unknown }) => boolean> = {
    ...checks,
    NotTerminal: (entry) => !(checks.IsSucceed(entry) || checks.IsFail(entry) || checks.IsChoice(entry)),
  };
  return STATE_CHECKS.map(([filter, checker, props, code, path]) => ({
    filter: filters[filter],
    checker: checks[checker]({ props, errorCode: StateMachineErrorCode[code], ...(path ? { path } : {}) }),
  }));
}

export type { AslValidatorError };
