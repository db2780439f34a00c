/**
 * The fragments Lambda function: `handler(event)` runs the generated fragment named by
 * `event.fragment` with the locals it reads (`event.vars`). This file ships inside the bundle.
 */
import {
  CALLBACK_SUBMITTER_ERROR,
  PollField,
  ReplyField,
  STEP_ATTEMPT_FAILED,
  STEP_ERROR,
  UNKNOWN_FRAGMENT,
  type ErrorRecord,
  type FragmentEvent,
} from "../../protocol/index.ts";
import { decodeVars, encodeValue, encodeVars } from "./values.ts";
import { batchInput } from "./batch.ts";
import { lambdaError, namedError, toError, type SdkErrorClasses } from "./errors.ts";

type RetryDecision = { shouldRetry: boolean; delay?: unknown };
type RetryStrategy = (error: Error, attempt: number) => RetryDecision;

export interface SdkBindings extends SdkErrorClasses {
  retryPresets: { default: RetryStrategy };
}

/** The toolbox a generated fragment receives next to its locals. */
export interface FragmentTools {
  event: FragmentEvent;
  /** What code between operations may use of the DurableContext: its logger. */
  context: { logger: Logger };
  /** The error a catch clause binds, rebuilt from the record a Catch stored. */
  caught(record: ErrorRecord): Error;
  /** What a fragment hands back: the locals it wrote, plus anything the next state needs. */
  done(vars: Record<string, unknown>, extra?: Record<string, unknown>): Record<string, unknown>;
  /** Before a Map state: the items with their names (itemNamer or map-item-i), and the completion thresholds. */
  batchInput: typeof batchInput;
  /** A fragment that caught its own error: the error as a Catch would store it, and the locals its catch block reads. */
  threw(thrown: unknown, vars: Record<string, unknown>): Record<string, unknown>;
  /** The handler's return value as the execution output: JSON has no `undefined`, the output is then null. */
  result(v: unknown): unknown;
  /** A value as it comes back from the SDK's JSON checkpoint. */
  json(v: unknown): unknown;
  /** Seconds of an SDK Duration object, as the SDK computes them. */
  seconds(duration: { days?: number; hours?: number; minutes?: number; seconds?: number }): number;
  /** Runs a step body once, for this attempt, and classifies a failure for the Retry/Catch of its Task. */
  step<T>(body: (ctx: StepContext) => Promise<T>, config?: { retryStrategy?: RetryStrategy }): Promise<unknown>;
  /** One check of a waitForCondition, and the wait strategy's decision on what it returned. */
  poll(
    check: (state: unknown, ctx: StepContext) => Promise<unknown>,
    config: { waitStrategy: (state: unknown, attempt: number) => { shouldContinue: boolean; delay?: Duration } },
    state: unknown,
  ): Promise<{ state: unknown; continue: boolean; delay: number }>;
  /** Runs a waitForCallback submitter with the task token as the callback id. */
  submit(body: (callbackId: string, ctx: { logger: Logger }) => Promise<unknown>, config?: { retryStrategy?: RetryStrategy }): Promise<null>;
}

type Duration = { days?: number; hours?: number; minutes?: number; seconds?: number };
const durationSeconds = (d: Duration) => (d.days ?? 0) * 86400 + (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);

interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  log(...args: unknown[]): void;
}
interface StepContext {
  attempt: number;
  logger: Logger;
}

const logger: Logger = {
  debug: (...a) => console.debug(...a),
  info: (...a) => console.info(...a),
  warn: (...a) => console.warn(...a),
  error: (...a) => console.error(...a),
  log: (...a) => console.log(...a),
};

export type Fragment = (vars: Record<string, any>, tools: FragmentTools) => Promise<unknown>;

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/**
 * A failed attempt either asks Step Functions for another one (`StepAttemptFailed`, matched by
 * the Task's Retry, whose intervals reproduce the strategy's delays) or gives up with the error
 * the SDK would raise. The user's own strategy decides, so message filters and custom functions
 * behave exactly as under the SDK.
 */
function classifyFailure(thrown: unknown, attempt: number, strategy: RetryStrategy, finalName: string): Error {
  const error = asError(thrown);
  const cause = { errorType: error.name || "Error", errorMessage: error.message };
  const decision = strategy(error, attempt);
  if (decision.shouldRetry) {
    // The delay rides along for machines that wait in an explicit loop (states.ts, emitRetryLoop); the SDK's default is 1 s.
    const retryAfterSeconds = durationSeconds((decision.delay as Duration | undefined) ?? { seconds: 1 });
    return namedError(STEP_ATTEMPT_FAILED, error.message, { ...cause, retryAfterSeconds });
  }
  return namedError(finalName, error.message, cause);
}

export function createDispatcher(fragments: Record<string, Fragment>, sdk: SdkBindings) {
  return async function handler(event: FragmentEvent): Promise<unknown> {
    const fragment = fragments[event?.fragment];
    if (!fragment) throw namedError(UNKNOWN_FRAGMENT, `no fragment named ${JSON.stringify(event?.fragment)} in this bundle`);
    const attempt = event.attempt ?? 1;
    const tools: FragmentTools = {
      event,
      context: { logger },
      caught: (record) => toError(record, sdk),
      done: (vars, extra) => ({ [ReplyField.vars]: encodeVars(vars), ...extra }),
      batchInput,
      threw: (thrown, vars) => ({ [ReplyField.vars]: encodeVars(vars), [ReplyField.thrown]: { kind: "code", ...lambdaError(thrown) } }),
      result: (v) => (v === undefined ? null : v),
      json: (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v))),
      seconds: durationSeconds,
      async poll(check, config, state) {
        try {
          // The state travels through JSON between checks, as the SDK's checkpoints carry it.
          const next = JSON.parse(JSON.stringify((await check(state, { attempt, logger })) ?? null));
          const decision = config.waitStrategy(next, attempt);
          return { [PollField.state]: encodeValue(next), [PollField.continue]: decision.shouldContinue, [PollField.delay]: decision.shouldContinue ? durationSeconds(decision.delay ?? { seconds: 1 }) : 0 };
        } catch (thrown) {
          const error = asError(thrown);
          // A failed check, or a strategy past its maximum attempts, ends the operation with a StepError.
          throw namedError(STEP_ERROR, error.message, { errorType: error.name || "Error", errorMessage: error.message });
        }
      },
      async step(body, config) {
        try {
          return encodeValue(await body({ attempt, logger }));
        } catch (thrown) {
          throw classifyFailure(thrown, attempt, config?.retryStrategy ?? sdk.retryPresets.default, STEP_ERROR);
        }
      },
      async submit(body, config) {
        try {
          await body(event.callbackId ?? "", { logger });
          return null;
        } catch (thrown) {
          const strategy = config?.retryStrategy ?? sdk.retryPresets.default;
          throw classifyFailure(thrown, attempt, strategy, CALLBACK_SUBMITTER_ERROR);
        }
      },
    };
    return fragment(decodeVars(event.vars, sdk), tools);
  };
}
