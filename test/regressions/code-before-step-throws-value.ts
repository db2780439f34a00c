// Found by reading (issue 15 work): code before a step in the same try, run in the step's Task,
// threw a string; the Catch recorded kind "step", so the catch block got an Error, not the string.
// Status: passes since the step Task that also runs code records its code's failure as kind "code".
// divergence at result: SDK "string just a string" vs compiled "other Error"
import { retryPresets, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { s: boolean }, context: DurableContext) => {
  try {
    if (event.s) throw "just a string";
    await context.step("work", async () => 1, { retryStrategy: retryPresets.noRetry });
  } catch (error) {
    return typeof error === "string" ? `string ${error}` : `other ${(error as Error).name}`;
  }
  return "none";
});
