import { StatesError, TaskTokenError } from "./errors.ts";
import type { SeededRandom } from "./random.ts";

/** How a waiting `.waitForTaskToken` task is answered. */
export interface TokenWaiter {
  succeed(output: unknown): void;
  fail(error: StatesError): void;
  heartbeat(): void;
}

const TOKEN_PREFIX = "AQB4";

/**
 * The answer to one token. The token is valid from TaskStarted on, so an answer may arrive while the
 * integration is still being called (a handler that answers at once); it is kept until the task waits.
 */
export class TokenAnswer implements TokenWaiter {
  private outcome: { output: unknown } | { error: StatesError } | undefined;
  private waiter: TokenWaiter | undefined;

  succeed(output: unknown): void {
    if (this.waiter) this.waiter.succeed(output);
    else this.outcome = { output };
  }

  fail(error: StatesError): void {
    if (this.waiter) this.waiter.fail(error);
    else this.outcome = { error };
  }

  heartbeat(): void {
    this.waiter?.heartbeat();
  }

  /** Hands over to the waiting task; an answer that came early is delivered at once. */
  waitWith(waiter: TokenWaiter): void {
    this.waiter = waiter;
    if (this.outcome && "output" in this.outcome) waiter.succeed(this.outcome.output);
    else if (this.outcome) waiter.fail(this.outcome.error);
  }
}

/**
 * Task tokens (AWS docs, "Wait for a Callback with Task Token"): unique opaque strings handed to
 * the task through `$states.context.Task.Token`, answered with SendTaskSuccess / SendTaskFailure /
 * SendTaskHeartbeat. The error names match the API's: InvalidToken for a string that was never a
 * token, TaskTimedOut for a token whose task timed out, TaskDoesNotExist for one that is closed.
 */
export class TaskTokens {
  private readonly waiting = new Map<string, TokenWaiter>();
  private readonly timedOut = new Set<string>();
  private issued = 0;

  constructor(private readonly random: SeededRandom) {}

  issue(): string {
    this.issued++;
    const body = Buffer.from(`${this.issued}:${this.random.hex(24)}`).toString("base64url");
    return `${TOKEN_PREFIX}${body}`;
  }

  open(token: string, waiter: TokenWaiter): void {
    this.waiting.set(token, waiter);
  }

  /** Closes a token; answers to it fail afterwards (TaskTimedOut when `timedOut`). */
  close(token: string, timedOut = false): void {
    this.waiting.delete(token);
    if (timedOut) this.timedOut.add(token);
  }

  succeed(token: string, outputJson: string): void {
    const waiter = this.waiterFor(token);
    let output: unknown;
    try {
      output = JSON.parse(outputJson);
    } catch {
      throw new TaskTokenError("InvalidOutput", "The output must be a valid JSON string");
    }
    this.close(token);
    waiter.succeed(output);
  }

  fail(token: string, error = "", cause = ""): void {
    const waiter = this.waiterFor(token);
    this.close(token);
    waiter.fail(new StatesError(error, cause));
  }

  heartbeat(token: string): void {
    this.waiterFor(token).heartbeat();
  }

  private waiterFor(token: string): TokenWaiter {
    if (typeof token !== "string" || !token.startsWith(TOKEN_PREFIX)) {
      throw new TaskTokenError("InvalidToken", "Invalid token");
    }
    const waiter = this.waiting.get(token);
    if (waiter) return waiter;
    if (this.timedOut.has(token)) throw new TaskTokenError("TaskTimedOut", "Task Timed Out");
    throw new TaskTokenError("TaskDoesNotExist", "Task does not exist anymore");
  }
}
