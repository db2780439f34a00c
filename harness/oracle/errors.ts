/** The oracle could not produce a trace (bad handler module, a run that can never finish, ...). */
export class OracleError extends Error {
  override name = "OracleError";
}

/**
 * The SDK's LocalDurableTestRunner itself threw (not the handler: a handler's error is a FAILED
 * trace). Seen: a wait of NaN seconds, which the runner turns into an invalid Date; on AWS the
 * checkpoint would carry `null` seconds, for which the SDK defines no outcome. There is no SDK
 * trace to compare with.
 */
export class SdkRunnerError extends OracleError {
  override name = "SdkRunnerError";
}

/** Whether `err` was thrown from inside the SDK's testing package. */
export function thrownBySdkRunner(err: unknown): boolean {
  const frames = err instanceof Error ? (err.stack ?? "").split("\n").slice(1, 3) : [];
  return frames.some((frame) => frame.includes("durable-execution-sdk-js-testing"));
}
