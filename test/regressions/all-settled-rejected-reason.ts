// Found verifying the SDK example promise/all-settled on this session's corpus (not shrunk by the
// fuzzer): the reason of a rejected step in context.promise.allSettled, returned as the result,
// serialises as {"name":"StepError"} under the SDK; the compiled machine's reason also carries
// `cause` and `errorType` as own properties. Fixed: the SDK's step serdes rebuilds each reason
// as a plain Error of that name and message, and so does the compiled machine's fragment now.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { fail: boolean }, context: DurableContext) => {
  const ok = context.step("ok", async () => "fine");
  const bad = context.step("bad", async () => {
    if (event.fail) throw new Error("broken");
    return "also fine";
  });
  return await context.promise.allSettled([ok, bad]);
});
