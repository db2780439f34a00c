import type { StateGraph } from "../../asl/index.ts";
import { Cancellation } from "./cancellation.ts";
import { VirtualClock } from "./clock.ts";
import { AbortedError, ErrorNames, StatesError } from "./errors.ts";
import { History, HistoryLimitExceeded } from "./history.ts";
import { RealClock } from "./real-clock.ts";
import { stepFunctionsFunctions } from "./jsonata-functions.ts";
import { ACCOUNT, Limits, REGION, serializePayload } from "./limits.ts";
import { MockResponder } from "./mock-config.ts";
import { SeededRandom } from "./random.ts";
import { runGraph } from "./run-states.ts";
import { Fiber, type Runtime } from "./runtime.ts";
import { TaskTokens } from "./task-tokens.ts";
import type { ExecutionResult, ExecutionStatus, RunOptions } from "./types.ts";
import { validateDefinition } from "../../asl/index.ts";
import { VariableScope } from "./variables.ts";

/** A fixed default start so that two runs with the same seed produce identical histories. */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1);

/**
 * One execution of a state machine, on the virtual clock unless RunOptions.clock is "real". The definition is validated when the
 * Execution is constructed (DefinitionError). `start()` begins the run; `result` settles when it
 * ends; `sendTask*` answer `.waitForTaskToken` tasks as the Step Functions API does.
 */
export class Execution {
  readonly result: Promise<ExecutionResult>;
  private readonly runtime: Runtime;
  private readonly root: Cancellation = new Cancellation();
  private readonly definition: StateGraph;
  private begin!: () => void;
  private started = false;
  /** Set by `stop`: the run ends ABORTED with these, whatever its states are doing. */
  private stopped: { error?: string; cause?: string } | undefined;
  private interrupt!: (err: AbortedError) => void;
  private readonly interrupted = new Promise<never>((_, reject) => (this.interrupt = reject));

  constructor(definition: object, private readonly options: RunOptions = {}) {
    validateDefinition(definition);
    this.definition = definition as StateGraph;
    const seed = options.seed ?? 0;
    const random = new SeededRandom(seed);
    const clock = options.clock === "real" ? new RealClock() : new VirtualClock(options.startTime?.getTime() ?? DEFAULT_START_TIME);
    const machineName = options.stateMachineName ?? "StateMachine";
    const executionName = options.executionName ?? new SeededRandom(seed ^ 0x5eed).uuid();
    const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${machineName}`;
    this.runtime = {
      options,
      clock,
      history: new History(clock),
      random,
      tokens: new TaskTokens(random),
      mocks: options.mock ? new MockResponder(options.mock) : undefined,
      stats: { stateTransitions: 0, lambdaInvocations: 0 },
      executionName,
      contextBase: {
        Execution: {
          Id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machineName}:${executionName}`,
          Input: options.input ?? {},
          Name: executionName,
          RoleArn: options.roleArn ?? `arn:aws:iam::${ACCOUNT}:role/service-role/StepFunctions-${machineName}-role`,
          StartTime: new Date(clock.now).toISOString(),
          RedriveCount: 0,
        },
        StateMachine: { Id: stateMachineArn, Name: machineName },
      },
      runGraph,
    };
    this.result = new Promise<void>((resolve) => (this.begin = resolve)).then(() => this.run());
    this.interrupted.catch(() => {}); // only raced in run(): a stop before or after the run is nobody's error
  }

  /** Starts the run (once); returns the result promise. */
  start(): Promise<ExecutionResult> {
    if (!this.started) {
      this.started = true;
      this.begin();
    }
    return this.result;
  }

  /** SendTaskSuccess: `outputJson` is the task's result as a JSON string. */
  sendTaskSuccess(token: string, outputJson: string): void {
    this.runtime.tokens.succeed(token, outputJson);
  }

  /** SendTaskFailure: the task fails with `error` / `cause`, which Retry and Catch then see. */
  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.runtime.tokens.fail(token, error, cause);
  }

  /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds clock. */
  sendTaskHeartbeat(token: string): void {
    this.runtime.tokens.heartbeat(token);
  }

  /**
   * StopExecution: the execution ends ABORTED at once (an ExecutionAborted event with `error` and
   * `cause`), as on Step Functions, even while a task is still running; what its fibers do after
   * that is not recorded. No effect once the execution has ended.
   */
  stop(error?: string, cause?: string): void {
    if (this.stopped) return;
    this.stopped = { ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) };
    this.root.abort();
    this.interrupt(new AbortedError());
  }

  private async run(): Promise<ExecutionResult> {
    const { clock, history } = this.runtime;
    const input = this.options.input ?? {};
    const functions = Object.assign(Object.create(null), stepFunctionsFunctions(this.runtime.random, () => clock.now));
    const fiber = new Fiber(this.runtime, new VariableScope(functions), this.root, 0);
    let timedOut = false;
    // On the real clock the limit can pass while a handler is still working: the run ends then,
    // not when the handler returns (on the virtual clock no time passes while one works).
    let timeUp = () => {};
    const timeLimit = new Promise<never>((_, reject) => (timeUp = () => reject(new AbortedError())));
    timeLimit.catch(() => {});
    clock.setTimer(this.definition.TimeoutSeconds ?? Limits.executionSeconds, () => {
      timedOut = true;
      this.root.abort();
      timeUp();
    });
    clock.enterFiber();
    let closing: { status: ExecutionStatus; output?: unknown; error?: string; cause?: string };
    try {
      fiber.record("ExecutionStarted", {
        executionStartedEventDetails: {
          input: serializePayload(input, "execution input"),
          inputDetails: { truncated: false },
          roleArn: this.runtime.contextBase.Execution.RoleArn,
          stateMachineArn: this.runtime.contextBase.StateMachine.Id,
        },
      });
      const output = await Promise.race([runGraph(this.definition, input, fiber), this.interrupted, timeLimit]);
      const outputJson = serializePayload(output, "execution output");
      fiber.record("ExecutionSucceeded", { executionSucceededEventDetails: { output: outputJson, outputDetails: { truncated: false } } });
      closing = { status: "SUCCEEDED", output };
    } catch (err) {
      closing = this.closeOnError(err, timedOut, fiber);
    } finally {
      clock.exitFiber();
      clock.stop();
      this.root.abort(); // stops fibers still waiting on handlers that outlived the execution
    }
    const startMs = history.events[0]?.timestamp.getTime() ?? clock.now;
    return {
      ...closing,
      history: history.events,
      stats: {
        ...this.runtime.stats,
        historyEvents: history.events.length,
        virtualSeconds: (clock.now - startMs) / 1000,
      },
    };
  }

  private closeOnError(err: unknown, timedOut: boolean, fiber: Fiber) {
    if (this.stopped) {
      fiber.record("ExecutionAborted", { executionAbortedEventDetails: this.stopped });
      return { status: "ABORTED" as const, ...this.stopped };
    }
    if (timedOut && (err instanceof AbortedError || err instanceof StatesError)) {
      const details = { error: ErrorNames.Timeout, cause: "The execution ran longer than its time limit" };
      fiber.record("ExecutionTimedOut", { executionTimedOutEventDetails: details });
      return { status: "TIMED_OUT" as const, ...details };
    }
    const failure =
      err instanceof StatesError
        ? err
        : err instanceof HistoryLimitExceeded
          ? new StatesError(ErrorNames.Runtime, err.message)
          : new StatesError(ErrorNames.Runtime, `Internal emulator error: ${internalDetail(err)}`);
    fiber.record("ExecutionFailed", { executionFailedEventDetails: { error: failure.error, cause: failure.cause } });
    return { status: "FAILED" as const, error: failure.error, cause: failure.cause };
  }
}

/** A bug's message; its stack too with DURABLE2SFN_DEBUG=1 (a Cause is shown to users, stacks are not for them). */
function internalDetail(err: unknown): string {
  const e = err as Error | undefined;
  if (process.env.DURABLE2SFN_DEBUG === "1" && e?.stack) return e.stack;
  return e?.message ?? String(err);
}

/** Validates, runs to the end and returns the result; an invalid definition rejects with DefinitionError. */
export async function runMachine(definition: object, options: RunOptions = {}): Promise<ExecutionResult> {
  return new Execution(definition, options).start();
}
