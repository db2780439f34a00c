import {
  type DurableOperation,
  type LocalDurableTestRunner,
  OperationStatus,
  OperationType,
  WaitingOperationStatus,
} from "@aws/durable-execution-sdk-js-testing";
import type { CallbackAnswer, CallbackAnswers } from "../../runtime/emulator/index.ts";
import { OracleError } from "./errors.ts";
import { realNow, realSleep } from "./real-time.ts";
import type { TimerControl } from "./worker-patch.ts";

const TERMINAL = new Set<string>([
  OperationStatus.SUCCEEDED,
  OperationStatus.FAILED,
  OperationStatus.TIMED_OUT,
  OperationStatus.CANCELLED,
  OperationStatus.STOPPED,
]);

export interface ResponderOptions {
  /** Real ms the execution must look idle before a timed-out callback's timer is fired. */
  settleMs: number;
  /** Real ms between idle checks. */
  pollMs: number;
}

interface WaitForCallbackParts {
  callback?: DurableOperation;
  submitter?: DurableOperation;
  answer?: CallbackAnswer;
}

/**
 * Answers the callbacks of one run from the scenario, while it runs.
 *
 * Discovery: it walks the runner's operations by index (getOperationByIndex(i).waitForData()
 * resolves when the i-th operation appears), so every CALLBACK operation is seen once, in order of
 * creation, whatever its name, however often the name repeats, named or not. The answer is taken
 * per name (the waitForCallback's name for its inner CALLBACK) from CallbackAnswers.
 *
 * Delivery: createCallback answers as soon as the CALLBACK exists (or, `at: "await"`, once the
 * run is idle: the handler waits for it); a waitForCallback answers once
 * its submitter step has SUCCEEDED (an external system learns the id from the submitter; if the
 * submitter fails there is nothing to answer).
 *
 * Timeouts: a callback to be timed out is never answered. When the execution is idle (no handler
 * invocation running, no answer in flight, every unfinished operation is a STARTED CALLBACK or
 * CONTEXT, nothing changed for settleMs), the earliest pending virtual timer among those callbacks
 * is fired in the checkpoint worker (virtual-timers-worker.mjs). Firing only when idle keeps the
 * local runner's own order: under skipTime everything else completes before a real timeout would.
 */
export class CallbackResponder {
  private readonly seen: DurableOperation[] = [];
  private readonly byId = new Map<string, DurableOperation>();
  private readonly waitForCallbacks = new Map<string, WaitForCallbackParts>();
  private readonly toTimeOut: DurableOperation[] = [];
  /** Answers the scenario gives once the handler waits (`at: "await"`): sent when the run is idle, before any timeout. */
  private readonly atAwait: { callback: DurableOperation; answer: CallbackAnswer }[] = [];
  private activeInvocations = 0;
  private inFlight = 0;
  private epoch = 0;
  private stopped = false;
  private failure: Error | undefined;
  private failed: ((err: Error) => void) | undefined;
  /** Rejects when the run can never finish (a callback to time out has no timeout). */
  readonly fatal: Promise<never>;

  constructor(
    private readonly runner: LocalDurableTestRunner,
    private readonly answers: CallbackAnswers,
    private readonly timers: TimerControl,
    private readonly options: ResponderOptions,
  ) {
    this.fatal = new Promise<never>((_, reject) => {
      this.failed = reject;
    });
    this.fatal.catch(() => {});
  }

  /** Wraps the handler so the responder knows when an invocation is running. */
  track<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.activeInvocations++;
      this.epoch++;
      try {
        return await handler(...args);
      } finally {
        this.activeInvocations--;
        this.epoch++;
      }
    };
  }

  start(): void {
    void this.walk();
    void this.driveTimeouts();
  }

  stop(): void {
    this.stopped = true;
  }

  private async walk(): Promise<void> {
    for (let index = 0; !this.stopped; index++) {
      const operation = this.runner.getOperationByIndex(index);
      try {
        await operation.waitForData(WaitingOperationStatus.STARTED);
      } catch {
        return; // the run ended: the runner rejects waits for operations that never appeared
      }
      if (this.stopped) return;
      this.seen.push(operation);
      const id = operation.getId();
      if (id) this.byId.set(id, operation);
      this.epoch++;
      this.onOperation(operation);
    }
  }

  private onOperation(operation: DurableOperation): void {
    const parentId = operation.getParentId();
    const parent = parentId ? this.byId.get(parentId) : undefined;
    const underWaitForCallback = parent?.isWaitForCallback() === true;
    if (operation.getType() === OperationType.CALLBACK) {
      if (!underWaitForCallback) {
        this.deliver(operation, this.answers.next(operation.getName() ?? null));
        return;
      }
      const parts = this.parts(parentId!);
      parts.callback = operation;
      parts.answer = this.answers.next(parent!.getName() ?? null);
      this.maybeStartWaitForCallback(parts);
    } else if (operation.getType() === OperationType.STEP && underWaitForCallback) {
      const parts = this.parts(parentId!);
      parts.submitter = operation;
      this.maybeStartWaitForCallback(parts);
    }
  }

  private parts(parentId: string): WaitForCallbackParts {
    let parts = this.waitForCallbacks.get(parentId);
    if (!parts) this.waitForCallbacks.set(parentId, (parts = {}));
    return parts;
  }

  private maybeStartWaitForCallback(parts: WaitForCallbackParts): void {
    const { callback, submitter, answer } = parts;
    if (!callback || !submitter || !answer) return;
    this.inFlight++;
    void submitter
      .waitForData(WaitingOperationStatus.COMPLETED)
      .then(
        () => {
          if (submitter.getStatus() === OperationStatus.SUCCEEDED) this.deliver(callback, answer);
        },
        () => {},
      )
      .finally(() => {
        this.inFlight--;
        this.epoch++;
      });
  }

  private deliver(callback: DurableOperation, answer: CallbackAnswer, idle = false): void {
    if ("timeout" in answer) {
      this.toTimeOut.push(callback);
      return;
    }
    if (answer.at === "await" && !idle) {
      this.atAwait.push({ callback, answer });
      return;
    }
    this.inFlight++;
    const sent =
      "success" in answer
        ? callback.sendCallbackSuccess(answer.success)
        : callback.sendCallbackFailure({
            ErrorType: answer.failure.errorType,
            ErrorMessage: answer.failure.errorMessage,
          });
    void sent
      .catch((err: unknown) => {
        if (!this.stopped) this.fail(new OracleError(`oracle: answering callback failed: ${(err as Error).message}`));
      })
      .finally(() => {
        this.inFlight--;
        this.epoch++;
      });
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.failed?.(err);
  }

  private isIdle(): boolean {
    if (this.activeInvocations > 0 || this.inFlight > 0) return false;
    return this.seen.every((op) => {
      const status = op.getStatus();
      if (status === undefined || TERMINAL.has(status)) return true;
      const type = op.getType();
      return status === OperationStatus.STARTED && (type === OperationType.CALLBACK || type === OperationType.CONTEXT);
    });
  }

  private fingerprint(): string {
    return `${this.epoch}:${this.seen.map((op) => op.getStatus()).join(",")}`;
  }

  private async driveTimeouts(): Promise<void> {
    let last = "";
    let stableSince = realNow();
    while (!this.stopped && !this.failure) {
      await realSleep(this.options.pollMs);
      if (this.toTimeOut.length === 0 && this.atAwait.length === 0) continue;
      const now = realNow();
      const print = this.fingerprint();
      if (print !== last || !this.isIdle()) {
        last = print;
        stableSince = now;
        continue;
      }
      if (now - stableSince < this.options.settleMs) continue;
      // Idle: the handler waits for its callbacks; an answer due at the await comes before any timer fires.
      if (this.atAwait.length > 0) for (const { callback, answer } of this.atAwait.splice(0)) this.deliver(callback, answer, true);
      else await this.fireEarliestTimeout();
      last = "";
      stableSince = realNow();
    }
  }

  private async fireEarliestTimeout(): Promise<void> {
    const deadlines = await this.timers.deadlines();
    let chosen = -1;
    for (let i = 0; i < this.toTimeOut.length; i++) {
      const id = this.toTimeOut[i]!.getId() ?? "";
      const due = deadlines[id];
      if (due === undefined) {
        this.fail(new OracleError(stuckMessage(this.toTimeOut[i]!, this.byId)));
        return;
      }
      if (chosen < 0 || due < deadlines[this.toTimeOut[chosen]!.getId() ?? ""]!) chosen = i;
    }
    if (process.env[SIDE_BY_SIDE]) {
      this.fail(new OracleError(sideBySideMessage(this.toTimeOut[chosen]!, this.byId)));
      return;
    }
    const [callback] = this.toTimeOut.splice(chosen, 1);
    this.epoch++;
    await this.timers.fireTimeout(callback!.getId() ?? "");
  }
}

/**
 * Set by vitest.config.ts for the test files that run two at a time. Timing a callback out reads
 * real time (driveTimeouts), which another file's load can fool, so there a run that would fire a
 * timeout fails instead (where the stuck run fails too, the execution idle), always, rather than
 * giving a wrong order now and then.
 */
const SIDE_BY_SIDE = "D2S_TEST_SIDE_BY_SIDE";

function sideBySideMessage(callback: DurableOperation, byId: Map<string, DurableOperation>): string {
  return `oracle: callback "${callbackName(callback, byId)}" would time out, and ${SIDE_BY_SIDE} is set: a test file whose oracle runs time callbacks out must run alone (vitest.config.ts, ALONE)`;
}

function callbackName(callback: DurableOperation, byId: Map<string, DurableOperation>): string {
  const parentId = callback.getParentId();
  const parent = parentId ? byId.get(parentId) : undefined;
  return (parent?.isWaitForCallback() ? parent.getName() : callback.getName()) ?? "(unnamed)";
}

function stuckMessage(callback: DurableOperation, byId: Map<string, DurableOperation>): string {
  return (
    `oracle: callback "${callbackName(callback, byId)}" has no answer left in the scenario and no timeout, ` +
    "so the execution would wait forever; add an answer for it under \"callbacks\""
  );
}
