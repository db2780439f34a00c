import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

// Repro: a callback whose heartbeatTimeout fires before its timeout (nobody answers, nobody
// heartbeats). The SDK fails with CallbackTimeoutError "Callback timed out on heartbeat"; the
// compiled machine maps States.HeartbeatTimeout to the same message as States.Timeout,
// "Callback timed out" (compiler/transform/states.ts, the callback Catch's Cause expression).
// SDK:      FAILED {errorType: "CallbackTimeoutError", errorMessage: "Callback timed out on heartbeat"}
// Compiled: FAILED {errorType: "CallbackTimeoutError", errorMessage: "Callback timed out"}
// Same divergence when the error is caught and its message read.
export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const answer = await context.waitForCallback("approval", async () => {}, { timeout: { days: 2 }, heartbeatTimeout: { hours: 1 } });
  return answer;
});
