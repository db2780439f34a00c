import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { RelayAnswer, RelayOutcome } from "../protocol/index.ts";
import { describeAwsError, endpointFor, lambdaClient, type AwsFlags } from "./aws-clients.ts";
import { AwsCallFailed } from "./aws-call.ts";

/** A callback id the relay made (`$uuid()` of the marker state), not a task token. */
export const RELAY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Answers a callback through the relay (runtime/fragments/relay.ts): invokes the fragments
 * function (on serve or AWS) with the answer for the id. Its reply says whether the answer went
 * to the Task waiting for it or is kept until the handler awaits; a refusal (answered already,
 * timed out, the token gone) is the function's error, said in one line.
 */
export async function answerThroughRelay(functionName: string, callbackId: string, outcome: RelayOutcome, flags: AwsFlags): Promise<"sent" | "kept"> {
  const client = lambdaClient(flags);
  const event: RelayAnswer = { relay: "answer", callbackId, outcome };
  try {
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : "null";
    const reply = JSON.parse(text) as { relayed?: string; errorType?: string; errorMessage?: string } | null;
    if (out.FunctionError) {
      process.stderr.write(`durable2sfn callback: ${reply?.errorType ?? "Error"}: ${reply?.errorMessage ?? text}\n`);
      throw new AwsCallFailed();
    }
    if (reply?.relayed !== "sent" && reply?.relayed !== "kept") {
      process.stderr.write(`durable2sfn callback: ${functionName} answered ${text.slice(0, 200)}, not as the fragments function of a compiled handler does\n`);
      throw new AwsCallFailed();
    }
    return reply.relayed;
  } catch (err) {
    if (err instanceof AwsCallFailed) throw err;
    process.stderr.write(`durable2sfn callback: ${describeAwsError(err, endpointFor("LAMBDA", flags))}\n`);
    throw new AwsCallFailed();
  } finally {
    client.destroy();
  }
}
