// Found in review (known hazard of session 4): a callback's failure message that happens to be
// the JSON of a Lambda error was read as one, so the compiled catch saw "inner" where the SDK
// sees the whole string. The message of a callback failure is the answer's text, always.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

const describe = (err: unknown) => {
  const e = err as Error & { cause?: Error };
  return { name: e.name, message: e.message, cause: e.cause ? `${e.cause.name}: ${e.cause.message}` : null };
};

export const handler = withDurableExecution(async (event: { id: string }, context: DurableContext) => {
  const seen: unknown[] = [];
  try {
    await context.waitForCallback("approval", async () => {}, { timeout: { seconds: 60 } });
  } catch (err) {
    seen.push(describe(err));
  }
  try {
    const [answer, callbackId] = await context.createCallback("receipt", { timeout: { seconds: 60 } });
    await context.step("send", async () => `${event.id}:${callbackId.length > 0}`);
    await answer;
  } catch (err) {
    seen.push(describe(err));
  }
  return seen;
});
