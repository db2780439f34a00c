import { randomInt, randomUUID } from "node:crypto";
import { Execution, StatesError, TaskTokenError, type ExecutionResult, type HistoryEvent, type RunOptions, type TaskCallInfo } from "../emulator/index.ts";
import { ACCOUNT, Limits } from "../emulator/limits.ts";
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
  name: string;
  input: string;
  startDate: Date;
  execution: Execution;
  result?: ExecutionResult;
  /** When StopExecution ended it (real time: the virtual clock of a stopped run says nothing useful). */
  stopDate?: Date;
}

/**
 * What happens on `serve` that a user may want to act on, as it happens (serve prints these):
 * an execution started, or a `.waitForTaskToken` task waiting for SendTaskSuccess / Failure.
 */
export type ServeEvent =
  | { type: "started"; executionArn: string; stateMachineArn: string }
  | { type: "waiting"; executionArn: string; stateName: string; taskToken: string };

/**
 * The executions started on `serve`. Each runs asynchronously on its own virtual clock (a Wait of a
 * day ends at once; history timestamps run from the real start). A `.waitForTaskToken` task holds
 * its clock until SendTaskSuccess / SendTaskFailure arrives, since that answer comes in real time;
 * so on `serve` TimeoutSeconds / HeartbeatSeconds of callback tasks never fire.
 */
export class Executions {
  private readonly executions = new Map<string, ExecutionRecord>();
  /** Open task tokens: which execution owns each, and how to let its held task go on. */
  private readonly tokens = new Map<string, { record: ExecutionRecord; release: () => void; stateName: string }>();

  constructor(
    private readonly functions: Functions,
    private readonly notify: (event: ServeEvent) => void = () => {},
  ) {}

  /**
   * StartExecution. Name-based idempotency as the API documents it: the same name and input as a
   * RUNNING execution returns that execution; a closed one, or other input, is ExecutionAlreadyExists.
   */
  start(machine: StateMachineRecord, { name, input }: StartRequest): ExecutionRecord {
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new AwsError("InvalidExecutionInput", `Invalid execution input: '${input}' is not valid JSON`);
    }
    const region = machine.stateMachineArn.split(":")[3];
    const executionArn = `arn:aws:states:${region}:${ACCOUNT}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (!existing.result && existing.input === input) return existing;
      throw new AwsError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }
    const startDate = new Date();
    const record = { executionArn, stateMachineArn: machine.stateMachineArn, name, input, startDate } as ExecutionRecord;
    record.execution = new Execution(JSON.parse(machine.definition), {
      input: parsedInput,
      executionName: name,
      stateMachineName: machine.name,
      startTime: startDate,
      seed: randomInt(2 ** 31), // task tokens come from the seed: every execution needs its own
      ...this.integrations(record),
    });
    this.executions.set(executionArn, record);
    record.execution.start().then((result) => {
      record.result = result;
      for (const [token, owner] of this.tokens) if (owner.record === record) this.tokens.delete(token);
    });
    this.notify({ type: "started", executionArn, stateMachineArn: machine.stateMachineArn });
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

  get(executionArn: string): ExecutionRecord {
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

  /** Lambda tasks run the deployed functions; any `.waitForTaskToken` task then waits for its answer in real time. */
  private integrations(record: ExecutionRecord): Pick<RunOptions, "lambda" | "handlers"> {
    const holdForAnswer = (info: TaskCallInfo) =>
      new Promise<void>((release) => {
        this.tokens.set(info.taskToken!, { record, release, stateName: info.stateName });
        this.notify({ type: "waiting", executionArn: record.executionArn, stateName: info.stateName, taskToken: info.taskToken! });
      });
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
