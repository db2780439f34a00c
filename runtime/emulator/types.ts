/**
 * Public types of the local Step Functions emulator (docs/internals.md, "Emulator API").
 * Names and shapes follow the Step Functions API (GetExecutionHistory, DescribeExecution)
 * so that code written against the real service reads the same here.
 */

/** ABORTED only through `Execution.stop` (StopExecution). */
export type ExecutionStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface ExecutionStats {
  /** States entered plus retries: what Standard Workflows bill (aws.amazon.com/step-functions/pricing). */
  stateTransitions: number;
  /** Attempts of `arn:aws:states:::lambda:invoke*` tasks, mocked or not. */
  lambdaInvocations: number;
  historyEvents: number;
  /** Virtual time from ExecutionStarted to the closing event, in seconds. */
  virtualSeconds: number;
}

export interface ExecutionResult {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  stats: ExecutionStats;
}

/** One event as GetExecutionHistory returns it: `type`, `id`, `previousEventId`, `timestamp` and one details object. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** What a Task handler learns about the call besides its input. */
export interface TaskCallInfo {
  stateName: string;
  resource: string;
  /** `$states.context.State.RetryCount`: 0 on the first attempt. */
  retryCount: number;
  executionName: string;
  /** Present for `.waitForTaskToken` resources. */
  taskToken?: string;
  /**
   * Virtual time of the call (ms since the epoch): what the code a Task runs should read as the
   * clock, so that a step after a 30 s Wait sees 30 s pass (harness/handler-world.ts).
   */
  now?: number;
  /** The `FunctionName` exactly as given in Arguments (lambda integrations only). */
  functionName?: string;
}

export type LambdaHandler = (functionName: string, payload: unknown, info: TaskCallInfo) => unknown;
export type TaskHandler = (input: unknown, info: TaskCallInfo) => unknown;
export type TaskTokenListener = (token: string, info: TaskCallInfo & { input: unknown }) => void;

/** The mock configuration file of Step Functions Local (sfn-local-mock-cfg-file). */
export interface MockConfig {
  StateMachines?: Record<string, { TestCases?: Record<string, Record<string, string>> }>;
  MockedResponses?: Record<string, Record<string, MockedResponse>>;
}
export type MockedResponse = { Return: unknown } | { Throw: { Error?: string; Cause?: string } };

export interface MockSelection {
  config: MockConfig;
  testCase: string;
  /** The key under `StateMachines`; defaults to the only machine that has `testCase`. */
  stateMachineName?: string;
}

export interface RunOptions {
  input?: unknown;
  lambda?: LambdaHandler;
  /** Handlers for other Task resources, keyed by the `Resource` string (with or without `.waitForTaskToken`). */
  handlers?: Record<string, TaskHandler>;
  onTaskToken?: TaskTokenListener;
  /** Seeds jitter, `$random()`, `$uuid()` and task tokens; the same seed gives the same run. */
  seed?: number;
  executionName?: string;
  stateMachineName?: string;
  /** Virtual wall-clock of ExecutionStarted; fixed by default so that runs repeat exactly. */
  startTime?: Date;
  mock?: MockSelection;
  /**
   * "virtual" (the default): waits and timeouts cost no real time and runs repeat exactly. "real":
   * the wall clock, as on Step Functions (a Wait of 5 s takes 5 s; startTime is then ignored).
   */
  clock?: "virtual" | "real";
  /** `$states.context.Execution.RoleArn` and ExecutionStarted's roleArn: the machine's role. */
  roleArn?: string;
}

export type { DefinitionProblem } from "../../asl/index.ts";
