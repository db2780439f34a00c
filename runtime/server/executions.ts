import { randomInt, randomUUID } from "node:crypto";
import {
  Execution,
  MockConfigError,
  StatesError,
  TaskTokenError,
  type ExecutionResult,
  type HistoryEvent,
  type MockConfig,
  type RunOptions,
  type TaskCallInfo,
} from "../emulator/index.ts";
import { ACCOUNT, Limits } from "../emulator/limits.ts";
import { parseArn } from "./arns.ts";
import { AwsError } from "./aws-error.ts";
import { checkName, optionalString, requiredString, type Body } from "./fields.ts";
import type { Functions } from "./functions.ts";
import type { StateMachineRecord } from "./state-machines.ts";

/** StartExecution's fields, checked (as the API does) before the state machine is looked up. */
export interface StartRequest {
  stateMachineArn: string;
  name: string;
  input: string;
}

export function startRequest(body: Body): StartRequest {
  const stateMachineArn = requiredString(body, "stateMachineArn", 256);
  const name = optionalString(body, "name") ?? randomUUID();
  checkName(name, "InvalidName");
  return { stateMachineArn, name, input: optionalString(body, "input", Limits.payloadBytes) ?? "{}" };
}

/** The API's length limit on taskToken. */
const TASK_TOKEN_LENGTH = 2048;

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  /** The machine as this execution runs it (DescribeStateMachineForExecution): an update later does not change it. */
  machine: Pick<StateMachineRecord, "name" | "definition" | "roleArn" | "revisionId"> & { updateDate: Date };
  name: string;
  input: string;
  startDate: Date;
  execution: Execution;
  result?: ExecutionResult;
  /** When StopExecution ended it (real time: the virtual clock of a stopped run says nothing useful). */
  stopDate?: Date;
}

export interface ExecutionOptions {
  /** "real" (serve's default): Waits and task timeouts take their real time. "virtual": they pass at once. */
  clock: "real" | "virtual";
  /** `serve --mock-config`: the test case named by a `#TestCase` suffix of the machine ARN mocks its states. */
  mockConfig?: MockConfig;
  /** Told of each execution started and each task token a task waits on, as they happen (serve prints these). */
  onEvent?: (event: ServeEvent) => void;
}

/**
 * What happens on `serve` that a user may want to act on, as it happens (serve prints these):
 * an execution started, or a `.waitForTaskToken` task waiting for SendTaskSuccess / Failure.
 */
export type ServeEvent =
  | { type: "started"; executionArn: string; stateMachineArn: string }
  | { type: "waiting"; executionArn: string; stateName: string; taskToken: string };

/**
 * The executions started on `serve`. Each runs asynchronously. On the real clock (the default)
 * a Wait takes its time and a `.waitForTaskToken` task's TimeoutSeconds / HeartbeatSeconds fire
 * when due, as on Step Functions. On the virtual clock (`serve --virtual-clock`) waits end at once,
 * in order, and history timestamps run from the real start; a `.waitForTaskToken` task then holds
 * its clock until SendTaskSuccess / SendTaskFailure arrives, since that answer comes in real time,
 * so its TimeoutSeconds / HeartbeatSeconds never fire.
 */
export class Executions {
  private readonly executions = new Map<string, ExecutionRecord>();
  /** Open task tokens: which execution owns each, and how to let its held task go on. */
  private readonly tokens = new Map<string, { record: ExecutionRecord; release: () => void; stateName: string }>();

  constructor(
    private readonly functions: Functions,
    private readonly options: ExecutionOptions = { clock: "real" },
  ) {}

  /**
   * StartExecution. Name-based idempotency as the API documents it: the same name and input as a
   * RUNNING execution returns that execution; a closed one, or other input, is ExecutionAlreadyExists.
   */
  start(machine: StateMachineRecord, request: StartRequest, testCase?: string): ExecutionRecord {
    const region = machine.stateMachineArn.split(":")[3];
    const executionArn = `arn:aws:states:${region}:${ACCOUNT}:execution:${machine.name}:${request.name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (!existing.result && existing.input === request.input) return existing;
      throw new AwsError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }
    const record = this.create(machine, request, executionArn, testCase);
    this.executions.set(executionArn, record);
    return record;
  }

  /**
   * StartSyncExecution (EXPRESS machines only): runs to the end and answers with the result. Like
   * Express executions on AWS it is not kept: DescribeExecution and GetExecutionHistory do not know it.
   */
  async startSync(machine: StateMachineRecord, request: StartRequest, testCase?: string): Promise<ExecutionRecord> {
    if (machine.type !== "EXPRESS") {
      throw new AwsError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
    }
    const region = machine.stateMachineArn.split(":")[3];
    const executionArn = `arn:aws:states:${region}:${ACCOUNT}:express:${machine.name}:${request.name}:${randomUUID()}`;
    const record = this.create(machine, request, executionArn, testCase);
    await record.execution.result;
    return record;
  }

  /** The promises of the executions of a machine still running: DeleteStateMachine waits for them. */
  running(stateMachineArn: string): Array<Promise<unknown>> {
    return [...this.executions.values()].filter((e) => e.stateMachineArn === stateMachineArn && !e.result).map((e) => e.execution.result);
  }

  /** A deleted machine's executions go with it. */
  forget(stateMachineArn: string): void {
    for (const [arn, e] of this.executions) if (e.stateMachineArn === stateMachineArn) this.executions.delete(arn);
  }

  private create(machine: StateMachineRecord, { name, input }: StartRequest, executionArn: string, testCase: string | undefined): ExecutionRecord {
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new AwsError("InvalidExecutionInput", `Invalid execution input: '${input}' is not valid JSON`);
    }
    const startDate = new Date();
    const { definition, roleArn, revisionId } = machine;
    const version = { name: machine.name, definition, roleArn, revisionId, updateDate: machine.updateDate ?? machine.creationDate };
    const record = { executionArn, stateMachineArn: machine.stateMachineArn, machine: version, name, input, startDate } as ExecutionRecord;
    try {
      record.execution = new Execution(JSON.parse(machine.definition), {
        input: parsedInput,
        executionName: name,
        stateMachineName: machine.name,
        roleArn: machine.roleArn,
        startTime: startDate,
        clock: this.options.clock,
        seed: randomInt(2 ** 31), // task tokens come from the seed: every execution needs its own
        ...this.mock(machine, testCase),
        ...this.integrations(record),
      });
    } catch (err) {
      if (err instanceof MockConfigError) throw new AwsError("ValidationException", err.message);
      throw err;
    }
    record.execution.start().then((result) => {
      record.result = result;
      for (const [token, owner] of this.tokens) if (owner.record === record) this.tokens.delete(token);
    });
    this.options.onEvent?.({ type: "started", executionArn, stateMachineArn: machine.stateMachineArn });
    return record;
  }

  /** The executions of one machine, newest first (as ListExecutions orders them). */
  list(stateMachineArn: string): ExecutionRecord[] {
    return [...this.executions.values()].filter((e) => e.stateMachineArn === stateMachineArn).reverse();
  }

  /**
   * StopExecution: a running execution ends ABORTED with `error` / `cause`; its open task tokens
   * close (answers to them are TaskDoesNotExist). Stopping one that has ended changes nothing.
   */
  async stop(record: ExecutionRecord, error?: string, cause?: string): Promise<void> {
    if (record.result) return;
    record.stopDate = new Date();
    record.execution.stop(error, cause);
    await record.execution.result; // start() then records the result and closes the tokens
  }

  /** The mock of `serve --mock-config` for the test case an ARN's `#TestCase` names (Step Functions Local's rule). */
  private mock(machine: StateMachineRecord, testCase: string | undefined): Pick<RunOptions, "mock"> {
    if (testCase === undefined) return {};
    if (!this.options.mockConfig) {
      throw new AwsError("InvalidArn", `Invalid Arn: '${machine.stateMachineArn}#${testCase}': a #TestCase suffix needs serve --mock-config`);
    }
    return { mock: { config: this.options.mockConfig, testCase, stateMachineName: machine.name } };
  }

  get(executionArn: string): ExecutionRecord {
    parseArn(executionArn, ["execution", "express"]);
    const record = this.executions.get(executionArn);
    if (!record) throw new AwsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /** The tasks of an execution waiting for an answer now, for the console page. */
  waiting(record: ExecutionRecord): Array<{ taskToken: string; stateName: string }> {
    return [...this.tokens].filter(([, owner]) => owner.record === record).map(([taskToken, { stateName }]) => ({ taskToken, stateName }));
  }

  /** The events so far: the whole history once the execution is closed. */
  history(record: ExecutionRecord): HistoryEvent[] {
    if (record.result) return record.result.history;
    // The emulator keeps the live history on its runtime and exposes it only with the result; reading
    // it here is the one place the server looks inside an Execution (a public getter would be better).
    const live = (record.execution as unknown as { runtime?: { history?: { events?: HistoryEvent[] } } }).runtime?.history?.events;
    return live ?? [];
  }

  sendTaskSuccess(body: Body): void {
    const token = requiredString(body, "taskToken", TASK_TOKEN_LENGTH);
    const output = requiredString(body, "output", Limits.payloadBytes);
    this.answer(token, (execution) => execution.sendTaskSuccess(token, output));
  }

  sendTaskFailure(body: Body): void {
    const token = requiredString(body, "taskToken", TASK_TOKEN_LENGTH);
    const error = optionalString(body, "error", 256);
    const cause = optionalString(body, "cause", 32768);
    this.answer(token, (execution) => execution.sendTaskFailure(token, error, cause));
  }

  sendTaskHeartbeat(body: Body): void {
    const token = requiredString(body, "taskToken", TASK_TOKEN_LENGTH);
    this.owner(token).record.execution.sendTaskHeartbeat(token);
  }

  private answer(token: string, send: (execution: Execution) => void): void {
    const owner = this.owner(token);
    try {
      send(owner.record.execution);
    } catch (err) {
      if (err instanceof TaskTokenError) throw new AwsError(err.code, err.message);
      throw err;
    }
    this.tokens.delete(token);
    owner.release();
  }

  private owner(token: string) {
    const owner = this.tokens.get(token);
    if (!owner) throw new AwsError("TaskDoesNotExist", "Task Does Not Exist");
    return owner;
  }

  /** TestState's integrations: the deployed functions, and no callback task (those need a mock there). */
  integrationsWithoutCallbacks(): Pick<RunOptions, "lambda" | "handlers"> {
    return this.integrations(undefined);
  }

  /**
   * Lambda tasks run the deployed functions; a `.waitForTaskToken` task's token is then registered,
   * so that SendTask* finds its execution. On the virtual clock the task is also held until answered.
   */
  private integrations(record: ExecutionRecord | undefined): Pick<RunOptions, "lambda" | "handlers"> {
    const holdForAnswer = (info: TaskCallInfo): Promise<void> => {
      if (!record) throw new StatesError("States.Runtime", "TestState runs .waitForTaskToken tasks only with a mock");
      const register = (release: () => void) => {
        this.tokens.set(info.taskToken!, { record, release, stateName: info.stateName });
        this.options.onEvent?.({ type: "waiting", executionArn: record.executionArn, stateName: info.stateName, taskToken: info.taskToken! });
      };
      if (this.options.clock === "real") {
        register(() => {});
        return Promise.resolve();
      }
      return new Promise<void>(register);
    };
    const lambda = async (functionName: string, payload: unknown, info: TaskCallInfo) => {
      if (!this.functions.has(functionName)) {
        throw new StatesError("Lambda.ResourceNotFoundException", `Function not found: ${info.functionName ?? functionName}`);
      }
      // Register the token before the function runs: it may hand the token on and be answered at once.
      const answered = info.taskToken ? holdForAnswer(info) : undefined;
      const outcome = await this.functions.invoke(functionName, payload);
      // A function error fails the task as Lambda's does: its errorType the error, its payload the cause.
      if ("error" in outcome) throw new StatesError(outcome.error.errorType, JSON.stringify(outcome.error));
      await answered;
      return outcome.value;
    };
    const otherResource = async (_input: unknown, info: TaskCallInfo) => {
      if (!info.taskToken) throw new StatesError("States.Runtime", `serve runs only Lambda tasks, not ${info.resource}`);
      await holdForAnswer(info);
      return null;
    };
    return { lambda, handlers: new Proxy({}, { get: () => otherResource }) };
  }
}
