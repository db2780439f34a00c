import { Node, type Expression } from "ts-morph";
import { CompileError, fail, messages } from "../diagnostics.ts";
import { isSdkFunction } from "../parse/durable-calls.ts";
import { optionsObject } from "../parse/const-options.ts";
import { constInitializer } from "../parse/const-declarations.ts";
import { knownNumber, knownValue } from "../parse/known-values.ts";

/**
 * Maps a step's `retryStrategy` to an ASL retrier. The fragment asks the user's own strategy
 * whether to retry (so error filters behave exactly as under the SDK) and raises
 * `StepAttemptFailed` when it says yes; the retrier below then supplies the same delays the
 * strategy would. Only strategies whose delays ASL can express are accepted.
 */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

interface ExponentialConfig {
  maxAttempts: number;
  initialDelaySeconds: number;
  maxDelaySeconds: number;
  backoffRate: number;
  jitter: "FULL" | "NONE" | "HALF";
}

/** The SDK's `retryPresets.default`, used when a step gives no strategy. */
const DEFAULT_PRESET: ExponentialConfig = { maxAttempts: 6, initialDelaySeconds: 5, maxDelaySeconds: 60, backoffRate: 2, jitter: "FULL" };
/** `createRetryStrategy()` defaults. */
const CREATE_DEFAULTS: ExponentialConfig = { maxAttempts: 3, initialDelaySeconds: 5, maxDelaySeconds: 300, backoffRate: 2, jitter: "FULL" };

// The name the fragments runtime gives a failed attempt that its strategy wants retried.
import { STEP_ATTEMPT_FAILED } from "../../protocol/index.ts";

export function retrierFor(config: Expression | undefined): Retrier {
  return toRetrier(strategyConfig(config));
}

/** The native retrier when ASL Retry reproduces the strategy's delays, else undefined (an explicit loop). */
export function nativeRetrier(config: Expression | undefined): Retrier | undefined {
  try {
    return retrierFor(config);
  } catch (err) {
    if (err instanceof CompileError) return undefined;
    throw err;
  }
}

function toRetrier(c: ExponentialConfig): Retrier {
  const jitter = c.jitter === "HALF" ? "FULL" : c.jitter;
  return {
    ErrorEquals: [STEP_ATTEMPT_FAILED],
    IntervalSeconds: Math.max(1, Math.round(c.initialDelaySeconds)),
    MaxAttempts: Math.max(0, c.maxAttempts - 1),
    BackoffRate: c.backoffRate,
    MaxDelaySeconds: Math.max(1, Math.round(c.maxDelaySeconds)),
    JitterStrategy: jitter,
  };
}

function strategyConfig(written: Expression | undefined): ExponentialConfig {
  if (!written) return DEFAULT_PRESET;
  const config = optionsObject(written, "step options", messages.D2S2008.stepOptionsNotObjectForRetry());
  const strategyProp = config.getProperty("retryStrategy");
  if (!strategyProp) return DEFAULT_PRESET;
  // `{ retryStrategy }` and `retryStrategy: STRATEGY` name a const: its initializer is the strategy.
  const value = Node.isPropertyAssignment(strategyProp) ? strategyProp.getInitializerOrThrow() : Node.isShorthandPropertyAssignment(strategyProp) ? strategyProp.getNameNode() : undefined;
  if (!value) fail(strategyProp, messages.D2S2008.retryStrategyNotInline());
  const strategy = constInitializer(value);
  if (Node.isPropertyAccessExpression(strategy) && isSdkFunction(strategy.getExpression(), "retryPresets")) {
    switch (strategy.getName()) {
      case "default":
        return DEFAULT_PRESET;
      case "noRetry":
        return { ...CREATE_DEFAULTS, maxAttempts: 1 };
    }
  }
  if (Node.isCallExpression(strategy) && isSdkFunction(strategy.getExpression(), "createRetryStrategy")) {
    return readExponential(strategy.getArguments()[0] as Expression | undefined);
  }
  fail(strategy, messages.D2S2008.retryStrategyNotExpressible());
}

function readExponential(written: Expression | undefined): ExponentialConfig {
  const c = { ...CREATE_DEFAULTS };
  if (!written) return c;
  const arg = optionsObject(written, "createRetryStrategy options", messages.D2S2008.retryOptionsNotObject());
  for (const prop of arg.getProperties()) {
    const value = Node.isPropertyAssignment(prop) ? prop.getInitializerOrThrow() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
    if (!value) fail(prop, messages.D2S2008.retryOptionsNotProperties());
    const name = (prop as import("ts-morph").PropertyAssignment).getName();
    switch (name) {
      case "maxAttempts":
        c.maxAttempts = literalNumber(value);
        break;
      case "backoffRate":
        c.backoffRate = literalNumber(value);
        break;
      case "initialDelay":
        c.initialDelaySeconds = literalDuration(value);
        break;
      case "maxDelay":
        c.maxDelaySeconds = literalDuration(value);
        break;
      case "jitter":
        c.jitter = jitterName(value);
        break;
      case "retryableErrors":
      case "retryableErrorTypes":
        break; // decided at run time by the strategy itself, inside the fragment
      default:
        fail(prop, messages.D2S2008.unknownRetryOption({ name }));
    }
  }
  if (c.jitter === "HALF") {
    fail(arg, messages.D2S2008.jitterHalf());
  }
  return c;
}

function literalNumber(node: Expression): number {
  const value = knownNumber(node);
  if (value !== undefined) return value;
  fail(node, messages.D2S2008.retryOptionNotNumber());
}

const UNIT_SECONDS: Record<string, number> = { days: 86400, hours: 3600, minutes: 60, seconds: 1 };

/**
 * Seconds of a Duration fixed at build time, such as `{ minutes: 5 }`, `{ seconds: 5 * 60 }` or a
 * const `as const` (known-values.ts), or undefined when only the run can tell.
 */
export function literalDurationSeconds(node: Expression): number | undefined {
  const known = knownValue(node)?.value;
  if (known === null || typeof known !== "object" || Array.isArray(known)) return undefined;
  let total = 0;
  for (const [key, value] of Object.entries(known)) {
    const unit = UNIT_SECONDS[key];
    if (unit === undefined || typeof value !== "number") return undefined;
    total += unit * value;
  }
  return total;
}

export function literalDuration(node: Expression): number {
  const seconds = literalDurationSeconds(node);
  if (seconds === undefined) fail(node, messages.D2S2008.durationNotLiteral());
  return seconds;
}

function jitterName(node: Expression): "FULL" | "NONE" | "HALF" {
  const known = knownValue(node)?.value;
  const text = typeof known === "string" ? known : node.getText();
  const match = /(FULL|NONE|HALF)["']?$/.exec(text);
  if (match) return match[1] as "FULL" | "NONE" | "HALF";
  fail(node, messages.D2S2008.jitterNotMember());
}
