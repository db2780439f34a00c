/** Error names Step Functions defines (AWS docs, "Error handling in Step Functions"). */
export const ErrorNames = {
  ALL: "States.ALL",
  TaskFailed: "States.TaskFailed",
  Timeout: "States.Timeout",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  BranchFailed: "States.BranchFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  QueryEvaluationError: "States.QueryEvaluationError",
  DataLimitExceeded: "States.DataLimitExceeded",
  Runtime: "States.Runtime",
} as const;

export interface DefinitionProblem {
  /** JSON path of the offending field, e.g. `$.States.Charge.Retry[0].ErrorEquals`. */
  path: string;
  message: string;
}

/** A definition refused before running, with the JSON path of every bad field. */
export class DefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super(`Invalid state machine definition:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "DefinitionError";
  }
}
