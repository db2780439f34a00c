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
} as const;

/**
 * Serialises a payload for the history and checks it against the 256 KiB quota. Over the quota the
 * state fails with States.DataLimitExceeded, which States.ALL does not catch.
 */
export function serializePayload(value: unknown, what: string): string {
  const json = JSON.stringify(value) ?? "null";
  // A UTF-8 string is at most 3 bytes per UTF-16 unit; measure exactly only near the limit.
  if (json.length * 3 > Limits.payloadBytes && Buffer.byteLength(json, "utf8") > Limits.payloadBytes) {
    throw new StatesError(
      ErrorNames.DataLimitExceeded,
      `The ${what} has a size of ${Buffer.byteLength(json, "utf8")} bytes, more than the limit of ${Limits.payloadBytes} bytes`,
    );
  }
  return json;
}
