import { CreateStateMachineCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { spawnServe } from "../../bench/serve-load.ts";
import { localClients, rejection, TEST_ROLE, useLocalServer, waitForExecution } from "./aws.ts";


const waitMachine = (seconds: number) =>
  JSON.stringify({ QueryLanguage: "JSONata", StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: seconds, End: true } } });

/** A callback task that nobody answers, with a short TimeoutSeconds; a timeout is caught and followed by a Wait. */
const callbackMachine = (timeoutSeconds: number, waitAfter: number) =>
  JSON.stringify({
    QueryLanguage: "JSONata",
    StartAt: "Ask",
    States: {
      Ask: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Arguments: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q", MessageBody: { token: "{% $states.context.Task.Token %}" } },
        TimeoutSeconds: timeoutSeconds,
        Catch: [{ ErrorEquals: ["States.Timeout"], Output: "{% $states.errorOutput %}", Next: "After" }],
        End: true,
      },
      After: { Type: "Wait", Seconds: waitAfter, End: true },
    },
  });

async function run(sfn: SFNClient, name: string, definition: string) {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: TEST_ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
  const done = await waitForExecution(sfn, executionArn!, 60_000);
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return { done, events: events!, executionArn: executionArn! };
}

/** Milliseconds between the first events of two types in the history. */
const between = (events: Array<{ type?: string; timestamp?: Date }>, from: string, to: string) =>
  events.find((e) => e.type === to)!.timestamp!.getTime() - events.find((e) => e.type === from)!.timestamp!.getTime();

describe("serve: real time (the default)", () => {
  const local = useLocalServer();

  it("a Wait of 2 s takes 2 s", async () => {
    const { done, events } = await run(local.clients.sfn, "wait-real", waitMachine(2));
    expect(done.status).toBe("SUCCEEDED");
    expect(between(events, "WaitStateEntered", "WaitStateExited")).toBeGreaterThanOrEqual(2000);
    expect(done.stopDate!.getTime() - done.startDate!.getTime()).toBeGreaterThanOrEqual(2000);
  });

  it("a callback task's TimeoutSeconds fires when due; an answer after it is TaskTimedOut", async () => {
    const sfn = local.clients.sfn;
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "callback-timeout", definition: callbackMachine(1, 5), roleArn: TEST_ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    // Once the timeout is in the history, the execution is still waiting in the state after it.
    let events: Awaited<ReturnType<typeof history>> = [];
    const history = async () => (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    while (!events.some((e) => e.type === "TaskTimedOut")) {
      await new Promise((r) => setTimeout(r, 100));
      events = await history();
    }
    const token = JSON.parse(events.find((e) => e.type === "TaskScheduled")!.taskScheduledEventDetails!.parameters!).MessageBody.token;
    expect(await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toMatchObject({ name: "TaskTimedOut", status: 400 });
    const done = await waitForExecution(sfn, executionArn!);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output!)).toMatchObject({ Error: "States.Timeout" });
    expect(between(await history(), "TaskSubmitted", "TaskTimedOut")).toBeGreaterThanOrEqual(1000);
  });
});

describe("serve: --virtual-clock", () => {
  const local = useLocalServer({ clock: "virtual" });

  it("a Wait of a day passes at once on the virtual clock, which the history shows", async () => {
    const { done, events } = await run(local.clients.sfn, "wait-virtual", waitMachine(86_400));
    expect(done.status).toBe("SUCCEEDED");
    expect(between(events, "WaitStateEntered", "WaitStateExited")).toBe(86_400_000);
  });

  it("durable2sfn serve --virtual-clock does the same", async () => {
    const { child, url } = await spawnServe(["--virtual-clock"]);
    const clients = localClients(url);
    try {
      const { done, events } = await run(clients.sfn, "wait-virtual-cli", waitMachine(3600));
      expect(done.status).toBe("SUCCEEDED");
      expect(between(events, "WaitStateEntered", "WaitStateExited")).toBe(3_600_000);
    } finally {
      clients.sfn.destroy();
      clients.lambda.destroy();
      child.kill("SIGTERM");
    }
  });
});
