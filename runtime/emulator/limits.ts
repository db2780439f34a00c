import { DefinitionLimits } from "../../asl/index.ts";
import { ErrorNames, StatesError } from "./errors.ts";

/** Where the emulated account lives: ARNs in `$states.context` and history events use these. */
export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/** Step Functions quotas that change behaviour (AWS docs, "Step Functions service quotas"). */
export const Limits = {
  /** Input or output of a task, state or execution: 256 KiB of UTF-8. */
  payloadBytes: 256 * 1024,
  /** Execution history: hard limit; event 25,000 must close the execution or it fails. */
  historyEvents: 25_000,
  /** Longest a Standard execution (and so any wait or task) can run: one year. */
  executionSeconds: 365 * 24 * 60 * 60,
  /** definitionBytes, maxSecondsField, variableNameLength (asl/limits.ts). */
  ...DefinitionLimits,
  /** Inline Map runs at most 40 iterations at a time (AWS docs, Map state, inline mode). */
  inlineMapConcurrency: 40,

  /*
   * Bounds on one JSONata evaluation (expression-box.ts). AWS documents no such limits for
   * JSONata in Step Functions, so these are the emulator's own: each is far above what a working
   * expression needs and low enough that a runaway one fails in seconds, with little memory.
   * An evaluation past one fails with States.QueryEvaluationError, as any failing expression does.
   */
  /**
   * Running time of one evaluation. jsonata does about a million steps a second here, and the
   * heaviest expressions in the tests and samples finish well under a second on a loaded machine.
   */
  expressionMilliseconds: 5_000,
  /**
   * Calls of user-defined functions open at once. Each open call holds a few KB of jsonata's
   * frames (measured: about 7 KB), so this caps a runaway recursion near 100 MB; a recursion over
   * a 256 KiB payload's items stays below it, and tail calls do not nest at all.
   */
  expressionFunctionDepth: 10_000,
  /**
   * Longest string any step may produce: 32 times the payload quota, room for values that are cut
   * down before they reach a state's output, far below V8's limit of about 512 Mi characters.
   */
  expressionStringLength: 32 * 256 * 1024,
  /**
   * Most items in an array any step may produce: a 256 KiB payload holds at most about 128 Ki
   * items, so this leaves room for intermediate arrays; `$range` is refused before it allocates
   * more (States.ArrayRange, its JSONPath counterpart, is limited to 1,000 items by AWS).
   */
  expressionArrayItems: 1_000_000,
  /** Steps between two turns given to the event loop (about a millisecond of work). */
  expressionStepsPerTurn: 1_000,
} as const;

/**
 * Serialises a payload for the history and checks it against the 256 KiB quota. Over the quota the
 * state fails with States.DataLimitExceeded, which States.ALL does not catch; a value with no JSON
 * text fails it with States.Runtime.
 */
export function serializePayload(value: unknown, what: string): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? "null";
  } catch (err) {
    // V8 serialises recursively: nesting some thousands deep overflows its stack (a cycle cannot get here).
    throw new StatesError(ErrorNames.Runtime, `The ${what} cannot be turned into JSON (${(err as Error).message}); is it nested thousands deep?`);
  }
  // A UTF-8 string is at most 3 bytes per UTF-16 unit; measure exactly only near the limit.
  if (json.length * 3 > Limits.payloadBytes && Buffer.byteLength(json, "utf8") > Limits.payloadBytes) {
    throw new StatesError(
      ErrorNames.DataLimitExceeded,
      `The ${what} has a size of ${Buffer.byteLength(json, "utf8")} bytes, more than the limit of ${Limits.payloadBytes} bytes`,
    );
  }
  return json;
}
