import type { StateDefinition } from "../../asl/index.ts";
import { DefinitionError, Execution, SeededRandom, type ExecutionResult, type HistoryEvent, type MockConfig } from "../emulator/index.ts";
import { errorMatches, retryDelaySeconds } from "../emulator/error-handling.ts";
import { Limits } from "../emulator/limits.ts";
import { AwsError } from "./aws-error.ts";
import type { Executions } from "./executions.ts";
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, requiredString, type Body } from "./fields.ts";

type Status = "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";

/** The name a lone state runs under (its `$states.context.State.Name`) when the request gives none. */
const DEFAULT_NAME = "TestState";
/** The variable that carries a caught error out of a Catcher (taken out of what is reported). */
const CAUGHT = "d2sTestStateCaughtError";

/**
 * TestState (AWS API reference, "TestState"): runs one state, on its own, on the emulator, and
 * reports `status` (SUCCEEDED, FAILED, CAUGHT_ERROR, RETRIABLE), `output`, `error`, `cause` and
 * `nextState`; at inspectionLevel DEBUG and TRACE also `inspectionData` (JSONata mode: `input`,
 * `afterArguments`, `result`, `variables`, `errorDetails`). TRACE adds HTTP request and response
 * for HTTP Tasks, which serve does not run, so it reports what DEBUG does.
 *
 * How: the state runs in a machine of its own, its transitions (Next, each Catcher's, each Choice
 * rule's and Default) pointed at Succeed stubs whose names say which transition was taken. Retry is
 * not run (TestState never retries): an error a Retrier matches, with attempts left after
 * `stateConfiguration.retrierRetryCount`, is RETRIABLE. Variables given in the request are assigned
 * by a Pass state before it. Map and Parallel, and `context`, are not supported: refused, not guessed.
 */
export async function testState(body: Body, executions: Executions) {
  const request = parseRequest(body);
  const { machine, stubs } = testMachine(request);
  let execution: Execution;
  try {
    execution = new Execution(machine, {
      input: request.variables ? { variables: request.variables, input: request.input } : request.input,
      stateMachineName: DEFAULT_NAME,
      executionName: DEFAULT_NAME,
      ...(request.roleArn && { roleArn: request.roleArn }),
      ...(request.mock && { mock: request.mock }),
      ...executions.integrationsWithoutCallbacks(),
    });
  } catch (err) {
    if (err instanceof DefinitionError) throw new AwsError("InvalidDefinition", `Invalid State Machine Definition: '${err.message}'`);
    throw err;
  }
  const result = await execution.start();
  return report(request, result, stubs);
}

interface TestRequest {
  name: string;
  state: StateDefinition;
  queryLanguage: string | undefined;
  input: unknown;
  inspectionLevel: "INFO" | "DEBUG" | "TRACE";
  variables?: Record<string, unknown>;
  roleArn?: string;
  mock?: { config: MockConfig; testCase: string };
  retrierRetryCount: number;
}

function parseRequest(body: Body): TestRequest {
  const definitionText = requiredString(body, "definition", Limits.definitionBytes);
  const roleArn = optionalString(body, "roleArn", 256);
  const inputText = optionalString(body, "input", Limits.payloadBytes) ?? "{}";
  const inspectionLevel = optionalEnum(body, "inspectionLevel", ["INFO", "DEBUG", "TRACE"] as const) ?? "INFO";
  optionalBoolean(body, "revealSecrets"); // nothing secret: serve runs no HTTP Task
  const variablesText = optionalString(body, "variables", Limits.payloadBytes);
  const stateName = optionalString(body, "stateName", 80);
  if (body.context !== undefined) throw new AwsError("ValidationException", "serve's TestState does not take a context: leave it out");
  const configuration = (body.stateConfiguration ?? {}) as Body;
  const retrierRetryCount = optionalInteger(configuration, "retrierRetryCount", 0, 2 ** 31 - 1) ?? 0;
  const unsupported = Object.keys(configuration).filter((k) => k !== "retrierRetryCount");
  if (unsupported.length > 0) throw new AwsError("ValidationException", `serve's TestState does not take stateConfiguration.${unsupported[0]} (it runs no Map state)`);

  const definition = parseJson(definitionText, (message) => new AwsError("InvalidDefinition", `Invalid State Machine Definition: '${message}'`));
  if (!isObject(definition)) throw new AwsError("InvalidDefinition", "Invalid State Machine Definition: 'the definition must be a JSON object'");
  let state: unknown = definition;
  let queryLanguage = definition.QueryLanguage as string | undefined;
  let name = stateName ?? DEFAULT_NAME;
  if (isObject(definition.States)) {
    // A whole machine: stateName says which of its states to test.
    if (stateName === undefined) throw new AwsError("ValidationException", "stateName is required when the definition is a state machine");
    state = definition.States[stateName];
    if (!isObject(state)) throw new AwsError("ValidationException", `The state machine has no state named '${stateName}'`);
    name = stateName;
  } else queryLanguage = undefined;
  const typed = state as unknown as StateDefinition;
  refuseUnsupported(typed, body.mock !== undefined);
  const input = parseJson(inputText, () => new AwsError("InvalidExecutionInput", `Invalid input: '${inputText.slice(0, 100)}' is not valid JSON`));
  let variables: Record<string, unknown> | undefined;
  if (variablesText !== undefined) {
    const parsed = parseJson(variablesText, () => new AwsError("ValidationException", "variables must be a JSON object"));
    if (!isObject(parsed)) throw new AwsError("ValidationException", "variables must be a JSON object");
    variables = parsed;
  }
  return {
    name,
    state: typed,
    queryLanguage: (typed as { QueryLanguage?: string }).QueryLanguage ?? queryLanguage,
    input,
    inspectionLevel,
    ...(variables && { variables }),
    ...(roleArn && { roleArn }),
    ...(body.mock !== undefined && { mock: mockOf(body.mock, name, typed) }),
    retrierRetryCount,
  };
}

/** What TestState on AWS runs only with a mock (callbacks, .sync, activities), and what serve cannot run faithfully. */
function refuseUnsupported(state: StateDefinition, mocked: boolean): void {
  if (state.Type === "Map" || state.Type === "Parallel") {
    throw new AwsError("ValidationException", `serve's TestState does not run ${state.Type} states; test the states inside it, or run the machine`);
  }
  const resource = state.Type === "Task" ? String(state.Resource ?? "") : "";
  const needsMock = resource.endsWith(".waitForTaskToken") || resource.endsWith(".sync") || resource.includes(":activity:");
  if (needsMock && !mocked) {
    throw new AwsError("ValidationException", "TestState runs .waitForTaskToken and .sync tasks and activities only with a mock");
  }
}

/** TestState's `mock` (`result` JSON, or `errorOutput` {error, cause}) as a one-answer mock configuration. */
function mockOf(value: unknown, name: string, state: StateDefinition): TestRequest["mock"] {
  if (state.Type !== "Task") throw new AwsError("ValidationException", "A mock can be given only for a Task state");
  const mock = (isObject(value) ? value : {}) as Body;
  const result = optionalString(mock, "result", Limits.payloadBytes);
  optionalEnum(mock, "fieldValidationMode", ["STRICT", "PRESENT", "NONE"] as const);
  const errorOutput = mock.errorOutput as { error?: unknown; cause?: unknown } | undefined;
  if ((result === undefined) === (errorOutput === undefined)) throw new AwsError("ValidationException", "A mock must have exactly one of result and errorOutput");
  const answer =
    result !== undefined
      ? { Return: parseJson(result, () => new AwsError("ValidationException", "mock.result must be valid JSON")) }
      : { Throw: { Error: String(errorOutput!.error ?? ""), Cause: String(errorOutput!.cause ?? "") } };
  const config: MockConfig = {
    StateMachines: { [DEFAULT_NAME]: { TestCases: { [DEFAULT_NAME]: { [name]: DEFAULT_NAME } } } },
    MockedResponses: { [DEFAULT_NAME]: { "0": answer } },
  };
  return { config, testCase: DEFAULT_NAME };
}

/** The machine that runs the state once, and which original transition each stub stands for. */
function testMachine(request: TestRequest) {
  const stubs = new Map<string, { target: string; catchIndex?: number }>();
  const taken = new Set([request.name]);
  const stub = (target: string, catchIndex?: number) => {
    let stubName = `#${stubs.size + 1}`;
    for (let i = 1; taken.has(stubName); i++) stubName = `#${stubs.size + 1}.${i}`;
    taken.add(stubName);
    stubs.set(stubName, { target, ...(catchIndex !== undefined && { catchIndex }) });
    return stubName;
  };
  const state = structuredClone(request.state) as StateDefinition & Record<string, unknown>;
  delete state.Retry;
  if (typeof state.Next === "string") state.Next = stub(state.Next);
  if (typeof state.Default === "string") state.Default = stub(state.Default);
  for (const rule of (state.Choices ?? []) as Array<{ Next?: string }>) if (typeof rule.Next === "string") rule.Next = stub(rule.Next);
  (state.Catch ?? []).forEach((catcher, i) => {
    const c = catcher as { Next: string; Assign?: unknown };
    c.Next = stub(c.Next, i);
    // The caught error itself is in no event: the Catcher hands it out through one more variable.
    c.Assign = { ...(isObject(c.Assign) ? c.Assign : {}), [CAUGHT]: "{% $states.errorOutput %}" };
  });
  const states: Record<string, unknown> = { [request.name]: state };
  for (const stubName of stubs.keys()) states[stubName] = { Type: "Succeed" };
  let startAt = request.name;
  if (request.variables) {
    startAt = stub("variables");
    stubs.delete(startAt);
    const assign = Object.fromEntries(Object.keys(request.variables).map((k) => [k, `{% $states.input.variables.\`${k}\` %}`]));
    states[startAt] = { Type: "Pass", Assign: assign, Output: "{% $states.input.input %}", Next: request.name };
  }
  const machine = { ...(request.queryLanguage !== undefined && { QueryLanguage: request.queryLanguage }), StartAt: startAt, States: states };
  return { machine, stubs };
}

function report(request: TestRequest, result: ExecutionResult, stubs: Map<string, { target: string; catchIndex?: number }>) {
  const events = result.history;
  const entered = events.findIndex((e) => stateEvent(e, "stateEnteredEventDetails")?.name === request.name);
  const exited = events.find((e, i) => i > entered && stateEvent(e, "stateExitedEventDetails")?.name === request.name);
  const after = events.slice(entered + 1).find((e) => stubs.has(stateEvent(e, "stateEnteredEventDetails")?.name ?? ""));
  const taken = after ? stubs.get(stateEvent(after, "stateEnteredEventDetails")!.name)! : undefined;
  const assigned = Object.entries(stateEvent(exited, "stateExitedEventDetails")?.assignedVariables ?? {}).map(([k, v]) => [k, JSON.parse(v)] as const);
  const caught = assigned.find(([k]) => k === CAUGHT)?.[1] as { Error: string; Cause: string } | undefined;
  const variables = { ...request.variables, ...Object.fromEntries(assigned.filter(([k]) => k !== CAUGHT)) };

  const error = caught ? caught.Error : result.status === "SUCCEEDED" ? undefined : result.error;
  const cause = caught ? caught.Cause : result.status === "SUCCEEDED" ? undefined : result.cause;
  const retrier = error === undefined ? undefined : retriable(request, error);
  let status: Status = result.status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";
  if (retrier) status = "RETRIABLE";
  else if (caught) status = "CAUGHT_ERROR";
  const ran = status === "SUCCEEDED" || status === "CAUGHT_ERROR";
  const output = ran ? stateEvent(exited, "stateExitedEventDetails")?.output : undefined;

  const inspectionData =
    request.inspectionLevel === "INFO"
      ? undefined
      : {
          input: JSON.stringify(request.input),
          ...taskData(events),
          ...(ran && { variables: JSON.stringify(variables) }),
          ...(retrier && { errorDetails: retrier }),
          ...(status === "CAUGHT_ERROR" && { errorDetails: { catchIndex: taken?.catchIndex } }),
        };
  return {
    status,
    ...(output !== undefined && { output }),
    ...(error !== undefined && { error }),
    ...(cause !== undefined && { cause }),
    ...(ran && taken && { nextState: taken.target }),
    ...(inspectionData && { inspectionData }),
  };
}

/** The Task's evaluated Arguments and its result, as its TaskScheduled and TaskSucceeded events have them. */
function taskData(events: HistoryEvent[]) {
  const scheduled = events.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails as { parameters?: string } | undefined;
  const succeeded = events.find((e) => e.type === "TaskSucceeded")?.taskSucceededEventDetails as { output?: string } | undefined;
  return { ...(scheduled?.parameters !== undefined && { afterArguments: scheduled.parameters }), ...(succeeded?.output !== undefined && { result: succeeded.output }) };
}

/** The first Retrier that matches `error` decides: with attempts left, the state would be retried. */
function retriable(request: TestRequest, error: string) {
  const retriers = request.state.Retry ?? [];
  const retryIndex = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error, request.state.Type === "Task"));
  if (retryIndex < 0) return undefined;
  const retrier = retriers[retryIndex]!;
  if (request.retrierRetryCount >= (retrier.MaxAttempts ?? 3)) return undefined;
  const delay = retryDelaySeconds(retrier, request.retrierRetryCount, new SeededRandom(0));
  return { retryIndex, retryBackoffIntervalSeconds: Math.round(delay) };
}

function stateEvent(event: HistoryEvent | undefined, field: string) {
  return event?.[field] as { name: string; input?: string; output?: string; assignedVariables?: Record<string, string> } | undefined;
}

function parseJson(text: string, error: (message: string) => AwsError): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw error((err as Error).message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
