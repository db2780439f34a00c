import { readFileSync } from "node:fs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer, type ServeOptions } from "../../runtime/server/server.ts";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** The role the serve tests create machines with (serve reports it back, as AWS does). */
export const TEST_ROLE = "arn:aws:iam::123456789012:role/test";

/** A state machine definition of test/fixtures/asl/, as text. */
export const aslFixture = (name: string) => readFileSync(`test/fixtures/asl/${name}.asl.json`, "utf8");

/** The real SDK clients pointed at a local `serve`, as the brief and asl.md D.2 prescribe. */
export function localClients(url: string) {
  const config = {
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    disableHostPrefix: true,
  };
  return { sfn: new SFNClient(config), lambda: new LambdaClient(config) };
}

/** Polls DescribeExecution until the execution is no longer RUNNING. */
export async function waitForExecution(sfn: SFNClient, executionArn: string, timeoutMs = 20_000): Promise<DescribeExecutionCommandOutput> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== "RUNNING") return out;
    if (Date.now() > until) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The token of an execution's waiting callback task (a machine whose task sends
 * `MessageBody: {token}`), read from TaskScheduled in the history, as a real client could.
 */
export async function callbackTaskToken(sfn: SFNClient, executionArn: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const scheduled = events!.find((e) => e.type === "TaskScheduled");
    if (scheduled) return JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).MessageBody.token;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no TaskScheduled event");
}

/** What the SDK gives for a rejected call: its error name and HTTP status. */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error("expected the call to fail");
}

/** A `serve` in this process for the tests of one file (or describe block), with SDK clients pointed at it. */
export function useLocalServer(options: ServeOptions = {}): { server: RunningServer; clients: ReturnType<typeof localClients> } {
  const context = {} as { server: RunningServer; clients: ReturnType<typeof localClients> };
  beforeAll(async () => {
    context.server = await startServer(options);
    context.clients = localClients(context.server.url);
  });
  afterAll(async () => {
    context.clients.sfn.destroy();
    context.clients.lambda.destroy();
    await context.server.close();
  });
  return context;
}
