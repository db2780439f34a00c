import { GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalServer, waitForExecution } from "./aws.ts";
import { cliAsync, LOCAL_AWS_ENV } from "./cli.ts";

/**
 * A compiled callback whose id goes through the relay, deployed to serve and answered with
 * `durable2sfn callback succeed|fail <callback-id> --function`: before the handler awaits it (the
 * relay keeps the answer) and after (the relay sends it to the waiting Task).
 */
const FIXTURE = "test/pipeline/fixtures/relay-serve.ts";
const MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:relay";
const FUNCTION = "relay-fragments";
const SLOW = 120_000;

const local = useLocalServer();
const callback = (...args: string[]) => cliAsync(["callback", ...args, "--function", FUNCTION, "--endpoint-url", local.server.url], LOCAL_AWS_ENV);

async function historyOf(executionArn: string): Promise<HistoryEvent[]> {
  return (await local.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

/** Polls the history until `found` picks something out of it. */
async function until<T>(executionArn: string, found: (events: HistoryEvent[]) => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = found(await historyOf(executionArn));
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("not in the history");
}

/** The callback id, as the step that hands it on was given it (its Task's parameters). */
const callbackId = (executionArn: string) =>
  until(executionArn, (events) => {
    const scheduled = events.find((e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails!.parameters!.includes('"fragment":"send"'));
    return scheduled ? (JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).Payload.vars.callbackId as string) : undefined;
  });

const start = async (pause: number) => (await local.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: JSON.stringify({ pause }) }))).executionArn!;

describe("the callback relay on serve", () => {
  beforeAll(async () => {
    const r = await cliAsync(["deploy", FIXTURE, "--name", "relay", "--endpoint-url", local.server.url], LOCAL_AWS_ENV);
    expect(r.code, r.stderr).toBe(0);
  }, SLOW);

  it("keeps an answer that comes before the await, and the handler gets it there", async () => {
    const executionArn = await start(3);
    const id = await callbackId(executionArn);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const r = await callback("succeed", id, "--result", '"approved"');
    expect(r.stdout, r.stderr).toBe("callback answered (succeed), kept by the relay until the handler awaits it\n");
    const described = await waitForExecution(local.clients.sfn, executionArn, 30_000);
    expect(described.status).toBe("SUCCEEDED");
    expect(JSON.parse(described.output!)).toEqual({ sent: { sentTo: "approver", id: 36 }, answer: "approved" });
    // A second answer is refused, in one line, exit 1.
    const again = await callback("succeed", id, "--result", '"twice"');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`durable2sfn callback: CallbackAlreadyAnswered: callback ${id} has been answered already\n`);
  }, SLOW);

  it("sends an answer that comes after the await to the waiting Task", async () => {
    const executionArn = await start(0);
    const id = await callbackId(executionArn);
    // The Task at the await has registered its token once it is submitted.
    await until(executionArn, (events) => (events.some((e) => e.type === "TaskSubmitted" && JSON.stringify(e).includes("waitForTaskToken")) ? true : undefined));
    const r = await callback("fail", id, "--error", "Rejected", "--cause", "not now");
    expect(r.stdout, r.stderr).toBe("callback answered (fail)\n");
    const described = await waitForExecution(local.clients.sfn, executionArn, 30_000);
    expect(described.status).toBe("FAILED");
    expect(described.error).toBe("CallbackExternalError");
  }, SLOW);

  it("a relay id without --function, or with heartbeat, is a usage error", async () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const bare = await cliAsync(["callback", "succeed", id, "--endpoint-url", local.server.url], LOCAL_AWS_ENV);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("is a callback id of the relay: name the handler's fragments function with --function");
    expect((await callback("heartbeat", id)).code).toBe(2);
  });

  it("deploy to AWS (no local endpoint) refuses the handler: the relay's DynamoDB table comes with the template or the construct", async () => {
    const r = await cliAsync(["deploy", FIXTURE, "--dry-run"], { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_SFN: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("durable2sfn: handler: a callback of this handler goes through the callback relay, which needs its DynamoDB table on AWS: deploy its template.yaml with SAM, or use the CDK construct\n");
  });
});
