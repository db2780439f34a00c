/**
 * The context's logger inside the fragments function, as the SDK's default logger writes it: one
 * JSON line per call with requestId, timestamp, level, executionArn and, inside an operation, its
 * operationId, operationName and attempt (durable-execution-sdk-js, utils/logger/default-logger).
 * Levels follow AWS_LAMBDA_LOG_LEVEL; debug and info go to stdout, warn and error to stderr, through
 * a Console of its own, as the SDK does (the Lambda runtime's patched console would reformat them).
 * A `customLogger` given to `context.configureLogger` gets the same data through
 * `configureDurableLoggingContext`, and the calls themselves.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Console } from "node:console";
import { createHash } from "node:crypto";
import { formatWithOptions } from "node:util";

export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface Logger {
  debug(...args: unknown[]): unknown;
  info(...args: unknown[]): unknown;
  warn(...args: unknown[]): unknown;
  error(...args: unknown[]): unknown;
  log?(level: string, ...args: unknown[]): unknown;
}

export interface DurableLogData {
  requestId?: string;
  executionArn?: string;
  operationId?: string;
  operationName?: string;
  attempt?: number;
  [key: string]: unknown;
}

/** A user's logger: the SDK's DurableLogger interface. */
export interface CustomLogger extends Logger {
  configureDurableLoggingContext?(context: { getDurableLogData(): DurableLogData }): void;
}

export interface LoggerConfig {
  customLogger?: CustomLogger;
  modeAware?: boolean;
}

/** The operation whose function runs now (a step body, a check, a submitter): the SDK keeps it in AsyncLocalStorage too. */
export interface ActiveOperation {
  /** What identifies the operation in the machine (its fragment), hashed as the SDK hashes operation ids. */
  key: string;
  name?: string;
  attempt?: number;
}

const active = new AsyncLocalStorage<ActiveOperation>();

/** Runs `fn` with `operation` as the one its log lines name. */
export function withOperation<T>(operation: ActiveOperation, fn: () => T): T {
  return active.run(operation, fn);
}

/** The SDK's hashId: the first 16 hex digits of the MD5 of the id. */
const hashId = (id: string) => createHash("md5").update(id).digest("hex").substring(0, 16);

export function durableLogData(base: { requestId?: string; executionArn?: string }): DurableLogData {
  const operation = active.getStore();
  const data: DurableLogData = { requestId: base.requestId, executionArn: base.executionArn };
  if (!operation) return data;
  data.operationId = hashId(operation.key);
  if (operation.name !== undefined) data.operationName = operation.name;
  if (operation.attempt !== undefined) data.attempt = operation.attempt;
  return data;
}

const PRIORITY: Record<Level, number> = { DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5 };
const FORMAT_OPTIONS = { breakLength: Infinity };

/** The SDK's replacer: an Error becomes errorType, errorMessage, stackTrace (and its own fields). */
function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign({ errorType: value?.constructor?.name ?? "UnknownError", errorMessage: value.message, stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack }, value);
}

/** One log line, field for field as the SDK's formatDurableLogData writes it. */
export function formatLine(level: Level, data: DurableLogData, params: unknown[]): string {
  const entry: Record<string, unknown> = { requestId: data.requestId, timestamp: new Date().toISOString(), level, executionArn: data.executionArn };
  if (data.tenantId != null) entry.tenantId = data.tenantId;
  if (data.operationId !== undefined) entry.operationId = data.operationId;
  if (data.operationName !== undefined) entry.operationName = data.operationName;
  if (data.attempt !== undefined) entry.attempt = data.attempt;
  if (params.length === 1) {
    entry.message = params[0];
    try {
      return JSON.stringify(entry, errorReplacer);
    } catch {
      entry.message = formatWithOptions(FORMAT_OPTIONS, entry.message);
      return JSON.stringify(entry);
    }
  }
  entry.message = formatWithOptions(FORMAT_OPTIONS, ...params);
  const error = params.find((p): p is Error => p instanceof Error);
  if (error) Object.assign(entry, { errorType: error?.constructor?.name ?? "UnknownError", errorMessage: error.message, stackTrace: typeof error.stack === "string" ? error.stack.split("\n") : [] });
  return JSON.stringify(entry);
}

/** The SDK's default logger for one invocation. */
export function defaultLogger(data: () => DurableLogData): Required<Logger> {
  // Looked up per line, so that a local run that redirects stdout (the harness) is honoured.
  const out = () => new Console({ stdout: process.stdout, stderr: process.stderr });
  const threshold = PRIORITY[(process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? "") as Level] ?? PRIORITY.DEBUG;
  const method = (level: Level, write: (c: Console, line: string) => void) =>
    PRIORITY[level] >= threshold
      ? (message?: unknown, ...rest: unknown[]) => write(out(), formatLine(level, data(), message !== undefined ? [message, ...rest] : rest))
      : () => {};
  const debug = method("DEBUG", (c, l) => c.debug(l));
  const info = method("INFO", (c, l) => c.info(l));
  const warn = method("WARN", (c, l) => c.warn(l));
  const error = method("ERROR", (c, l) => c.error(l));
  const byLevel: Record<string, (...a: unknown[]) => void> = { DEBUG: debug, INFO: info, WARN: warn, ERROR: error };
  return { debug, info, warn, error, log: (level, ...args) => (byLevel[level] ?? info)(...args) };
}

/**
 * What `context.logger` is: the default logger, or the configured custom one (given the SDK's
 * logging context first). As under the SDK, `log` exists only when the logger has one. The
 * compiled machine never replays, so every call is logged once: what the SDK's mode-aware
 * logging (its default) also gives.
 */
export function contextLogger(logger: CustomLogger): Logger {
  const wrapped: Logger = {
    debug: (...a) => logger.debug(...a),
    info: (...a) => logger.info(...a),
    warn: (...a) => logger.warn(...a),
    error: (...a) => logger.error(...a),
  };
  if ("log" in logger) wrapped.log = (level, ...a) => logger.log?.(level, ...a);
  return wrapped;
}
