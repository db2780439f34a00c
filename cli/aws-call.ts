import type { SFNClient } from "@aws-sdk/client-sfn";
import { describeAwsError, endpointFor, sfnClient, type AwsFlags } from "./aws-clients.ts";

/** A failed AWS call, said already on stderr in one line: the command ends with exit 1. */
export class AwsCallFailed extends Error {}

/**
 * Runs `work` with a Step Functions client for `flags` (a local `serve` or AWS), and turns what the
 * service refuses, or a server that does not answer, into one line on stderr naming the command.
 */
export async function withSfn<T>(command: string, flags: AwsFlags, work: (sfn: SFNClient) => Promise<T>): Promise<T> {
  const client = sfnClient(flags);
  try {
    return await work(client);
  } catch (err) {
    if (err instanceof AwsCallFailed) throw err;
    process.stderr.write(`durable2sfn ${command}: ${describeAwsError(err, endpointFor("SFN", flags))}\n`);
    throw new AwsCallFailed();
  } finally {
    client.destroy();
  }
}
