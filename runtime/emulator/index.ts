/**
 * The local Step Functions emulator: runs JSONata-mode ASL on a virtual clock
 * (docs/internals.md, "Emulator API"); also the scenario format (event, callback answers) that
 * `run` answers task tokens from, and the `run --json` report.
 */
export { DEFAULT_START_TIME, Execution, runMachine } from "./execution.ts";
export { SeededRandom } from "./random.ts";
export { DefinitionError, StatesError, TaskTokenError } from "./errors.ts";
export { MockConfigError } from "./mock-config.ts";
export { definitionProblems, validateDefinition } from "../../asl/index.ts";
export type {
  DefinitionProblem,
  ExecutionResult,
  ExecutionStats,
  ExecutionStatus,
  HistoryEvent,
  LambdaHandler,
  MockConfig,
  MockedResponse,
  MockSelection,
  RunOptions,
  TaskCallInfo,
  TaskHandler,
  TaskTokenListener,
} from "./types.ts";
export { toRunReport } from "./report.ts";
export { callbackOnlyIntegrations, scenarioTokenListener } from "./scenario-answers.ts";
export {
  CallbackAnswers,
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  unusedCallbackWarning,
  type CallbackAnswer,
  type RunReport,
  type Scenario,
} from "./scenario.ts";
