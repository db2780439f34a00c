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
  isRelayEvent,
  type FragmentEvent,
  type RelayEvent,
} from "../../protocol/index.ts";
import { relay } from "./relay.ts";
import { awsRelayBackend } from "./relay-aws.ts";
import { Decoder, decodeVars, encodeValue, encodeVars, jsonResult, knownClasses } from "./values.ts";
import { batchInput } from "./batch.ts";
import { returning } from "./returning.ts";
import { CarryError, type KnownClasses } from "./carry.ts";
import { SHAPE_KEY, shapeTools, type ShapeMaker, type ShapeTools } from "./shapes.ts";
import { carriedFailure, lambdaError, namedError, stepFailure, thrownValue, toError, type SdkErrorClasses } from "./errors.ts";
import { SerdesRunner, type SerdesRegistry } from "./serdes.ts";
import { contextLogger, defaultLogger, durableLogData, withOperation, type Logger, type LoggerConfig } from "./logger.ts";

type RetryDecision = { shouldRetry: boolean; delay?: unknown };
type RetryStrategy = (error: Error, attempt: number) => RetryDecision;

export interface SdkBindings extends SdkErrorClasses {
  retryPresets: { default: RetryStrategy };
}

/** The toolbox a generated fragment receives next to its locals. */
export interface FragmentTools extends ShapeTools {
  event: FragmentEvent;
  /** What code between operations may use of the DurableContext: its logger, and configureLogger (analyze/logger-config.ts says which calls compile). */
  context: { logger: Logger; configureLogger(config: LoggerConfig): void };
  /** What a catch clause binds: the value the code threw, or the error the SDK raises, rebuilt from the record a Catch stored. */
  caught(record: ErrorRecord): unknown;
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
  /** A step's reply when the graph returns its result at once (returning.ts). */
  returning(stored: unknown, as: "json" | "result"): Record<string, unknown>;
  /** Seconds of an SDK Duration object, as the SDK computes them. */
  seconds(duration: { days?: number; hours?: number; minutes?: number; seconds?: number }): number;
  /**
   * Runs a step body once, for this attempt, and classifies a failure for the Retry/Catch of its
   * Task. With `serdes` (a key of the serdes registry) the result is what that serdes wrote (serdes.ts).
   */
  step<T>(body: (ctx: StepContext) => Promise<T>, config?: { retryStrategy?: RetryStrategy }, serdes?: string): Promise<unknown>;
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

interface StepContext {
  attempt: number;
  logger: Logger;
}

/** What the compiler knows of each fragment's operation (from the source map): its log lines name it. */
export interface FragmentOperation {
  kind: string;
  name?: string | null;
}

/** The Lambda context the fragments function is invoked with (only what the log lines read). */
interface LambdaContext {
  awsRequestId?: string;
}

export type Fragment = (vars: Record<string, any>, tools: FragmentTools) => Promise<unknown>;

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/** What the SDK hands a retry strategy: the error thrown, or for any other value an Error "Unknown Error". */
const strategyError = (thrown: unknown): Error => (thrown instanceof Error ? thrown : new Error("Unknown Error"));

/**
 * A failed attempt either asks Step Functions for another one (`StepAttemptFailed`, matched by
 * the Task's Retry, whose intervals reproduce the strategy's delays) or gives up with the error
 * the SDK would raise. The user's own strategy decides, so message filters and custom functions
 * behave exactly as under the SDK.
 */
function classifyFailure(thrown: unknown, attempt: number, strategy: RetryStrategy, finalName: string): Error {
  const { message, cause } = stepFailure(thrown);
  const decision = strategy(strategyError(thrown), attempt);
  if (decision.shouldRetry) {
    // The delay rides along for machines that wait in an explicit loop (states.ts, emitRetryLoop); the SDK's default is 1 s.
    const retryAfterSeconds = durationSeconds((decision.delay as Duration | undefined) ?? { seconds: 1 });
    return namedError(STEP_ATTEMPT_FAILED, message, { ...cause, retryAfterSeconds });
  }
  return namedError(finalName, message, cause);
}

/** A value the fragment's code threw, encoded if it can be (an error of any class can; a thrown function cannot, and is then reported by name and message only). */
function encodeThrown(thrown: unknown, classes: KnownClasses): unknown {
  try {
    return encodeValue(thrown, classes);
  } catch {
    return undefined;
  }
}

/**
 * `classes` are the classes the user's module declares or imports (bundle.ts passes them): their
 * instances cross durable operations with their prototype. `jsonataReads` are the locals the
 * machine's JSONata reads: they stay plain JSON whenever their value is (values.ts). `shapes` make
 * the members of the handler's object literals with methods or getters again (shapes.ts).
 */
export function createDispatcher(
  fragments: Record<string, Fragment>,
  sdk: SdkBindings,
  classes: Record<string, Function> = {},
  options: { jsonataReads?: string[]; operations?: Record<string, FragmentOperation>; loggerConfig?: () => LoggerConfig; serdes?: SerdesRegistry } = {},
  shapes: Record<string, ShapeMaker> = {},
) {
  const known = knownClasses(classes, sdk);
  for (const [site, make] of Object.entries(shapes)) known.set(SHAPE_KEY + site, make);
  const { shaped } = shapeTools(known);
  const plain = new Set(options.jsonataReads ?? []);
  /** The dispatcher's own failures (a step's StepError...): the machine matches their names, they pass as they are. */
  const raised = new WeakSet<object>();
  const raise = (error: Error): Error => (raised.add(error), error);
  const isRaised = (thrown: unknown): boolean => thrown !== null && typeof thrown === "object" && raised.has(thrown);
  const serdes = new SerdesRunner(options.serdes ?? {}, raise);
  const caught = (record: ErrorRecord): unknown => {
    const thrown = record.kind === "code" ? thrownValue(record) : undefined;
    return thrown ? new Decoder(sdk, known).value(thrown.encoded) : toError(record, sdk);
  };
  return async function handler(event: FragmentEvent | RelayEvent, lambdaContext?: LambdaContext): Promise<unknown> {
    // The callback relay is an action of this same function (relay.ts), so the machine stays one function.
    if (isRelayEvent(event)) return relay(event, await awsRelayBackend());
    const fragment = fragments[event?.fragment];
    if (!fragment) throw raise(namedError(UNKNOWN_FRAGMENT, `no fragment named ${JSON.stringify(event?.fragment)} in this bundle`));
    const attempt = event.attempt ?? 1;
    const logData = () => durableLogData({ requestId: lambdaContext?.awsRequestId, executionArn: event.execution });
    // The handler's configureLogger ran before any operation (the compiler checks it): every fragment logs through it.
    let configured: Logger | undefined;
    const configure = (config: LoggerConfig) => {
      if (config.customLogger === undefined) return;
      config.customLogger.configureDurableLoggingContext?.({ getDurableLogData: logData });
      configured = contextLogger(config.customLogger);
    };
    const fallback = defaultLogger(logData);
    const current = (): Logger => {
      if (!configured && options.loggerConfig) configure(options.loggerConfig());
      return configured ?? fallback;
    };
    const operationOf = options.operations?.[event.fragment];
    // A submitter's lines name no operation under the SDK (its step has no name of its own there).
    const operation = { key: event.fragment, name: operationOf?.kind === "callback" ? undefined : (event.name ?? operationOf?.name ?? undefined), attempt };
    const inOperation = <T>(fn: () => T): T => withOperation(operation, fn);
    const tools: FragmentTools = {
      event,
      shaped,
      context: {
        get logger() {
          return current();
        },
        configureLogger: configure,
      },
      caught,
      done: (vars, extra) => ({ [ReplyField.vars]: encodeVars(vars, known, plain), ...extra }),
      batchInput,
      threw: (thrown, vars) => {
        // A value that cannot be carried is the runtime's refusal, not the handler's error: no catch block of the handler gets it.
        if (thrown instanceof CarryError) throw thrown;
        const failure = isRaised(thrown) ? thrown : carriedFailure(thrown, encodeThrown(thrown, known));
        return { [ReplyField.vars]: encodeVars(vars, known, plain), [ReplyField.thrown]: { kind: "code", ...lambdaError(failure) } };
      },
      result: (v) => (v === undefined ? null : v),
      json: (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v))),
      returning: (stored, as) => returning(stored, as, sdk, known),
      seconds: durationSeconds,
      async poll(check, config, state) {
        try {
          // The state travels through JSON between checks, as the SDK's checkpoints carry it.
          const next = JSON.parse(JSON.stringify((await inOperation(() => check(state, { attempt, logger: current() }))) ?? null));
          const decision = config.waitStrategy(next, attempt);
          return { [PollField.state]: jsonResult(next), [PollField.continue]: decision.shouldContinue, [PollField.delay]: decision.shouldContinue ? durationSeconds(decision.delay ?? { seconds: 1 }) : 0 };
        } catch (thrown) {
          const error = asError(thrown);
          // A failed check, or a strategy past its maximum attempts, ends the operation with a StepError.
          throw raise(namedError(STEP_ERROR, error.message, { errorType: error.name || "Error", errorMessage: error.message }));
        }
      },
      async step(body, config, serdesKey) {
        let value: unknown;
        try {
          value = await inOperation(() => body({ attempt, logger: current() }));
        } catch (thrown) {
          throw raise(classifyFailure(thrown, attempt, config?.retryStrategy ?? sdk.retryPresets.default, STEP_ERROR));
        }
        // The SDK serialises a custom serdes' result after the body succeeded; its failure is no failure of the step (no retry).
        if (serdesKey !== undefined) return serdes.serialize(serdesKey, operation.name, event.execution ?? "", value);
        // A result JSON cannot hold (a cycle) is not a failure of the step's code: the SDK stops the
        // invocation (unrecoverable serialization error), and the Lambda runtime cannot send it either.
        try {
          return jsonResult(value);
        } catch {
          return value;
        }
      },
      async submit(body, config) {
        try {
          await inOperation(() => body(event.callbackId ?? "", { logger: current() }));
          return null;
        } catch (thrown) {
          const strategy = config?.retryStrategy ?? sdk.retryPresets.default;
          throw raise(classifyFailure(thrown, attempt, strategy, CALLBACK_SUBMITTER_ERROR));
        }
      },
    };
    try {
      return await fragment(await serdes.revive(decodeVars(event.vars, sdk, known)), tools);
    } catch (thrown) {
      if (thrown instanceof CarryError || isRaised(thrown)) throw thrown;
      throw carriedFailure(thrown, encodeThrown(thrown, known));
    }
  };
}
