import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { aslFixture, rejection, TEST_ROLE, waitForExecution } from "../pipeline/aws.ts";
import { useServerWithEvents, waitingToken } from "./events.ts";

const local = useServerWithEvents();
const sfn = () => local.clients.sfn;

async function machine(name: string, file: string): Promise<string> {
  return (await sfn().send(new CreateStateMachineCommand({ name, definition: aslFixture(file), roleArn: TEST_ROLE }))).stateMachineArn!;
}
const start = async (stateMachineArn: string, name: string) => (await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: "{}" }))).executionArn!;

describe("serve: StopExecution", () => {
  it("aborts a waiting execution with its error and cause; the history ends in ExecutionAborted; the token is closed", async () => {
    const arn = await machine("stop-me", "approval");
    const executionArn = await start(arn, "one");
    const token = await waitingToken(local.events, executionArn);
    const stopped = await sfn().send(new StopExecutionCommand({ executionArn, error: "Operator", cause: "no longer needed" }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: "ABORTED", error: "Operator", cause: "no longer needed" });
    expect(described.stopDate!.getTime()).toBe(stopped.stopDate!.getTime());
    const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.at(-1)).toMatchObject({ type: "ExecutionAborted", executionAbortedEventDetails: { error: "Operator", cause: "no longer needed" } });
    expect(events!.filter((e) => e.type === "ExecutionAborted")).toHaveLength(1);
    expect(await rejection(sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toMatchObject({ name: "TaskDoesNotExist" });
    // Stopping again, or stopping an ended execution, changes nothing.
    await sfn().send(new StopExecutionCommand({ executionArn, error: "Again" }));
    expect(await sfn().send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: "ABORTED", error: "Operator" });
  });

  it("without error and cause the event carries none; a finished execution stays SUCCEEDED", async () => {
    const executionArn = await start(await machine("stop-plain", "approval"), "plain");
    await waitingToken(local.events, executionArn);
    await sfn().send(new StopExecutionCommand({ executionArn }));
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe("ABORTED");
    expect(described.error).toBeUndefined();
    const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events![0]).toMatchObject({ type: "ExecutionAborted", executionAbortedEventDetails: {} });

    const done = await start(await machine("stop-done", "greet"), "done");
    await waitForExecution(sfn(), done);
    await sfn().send(new StopExecutionCommand({ executionArn: done, error: "Late" }));
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn: done }))).status).toBe("SUCCEEDED");
  });

  it("an unknown execution is ExecutionDoesNotExist", async () => {
    const executionArn = "arn:aws:states:us-east-1:123456789012:execution:stop-me:nobody";
    expect(await rejection(sfn().send(new StopExecutionCommand({ executionArn })))).toMatchObject({ name: "ExecutionDoesNotExist", status: 400 });
  });
});

describe("serve: ListExecutions", () => {
  it("lists a machine's executions newest first, filtered by status, in pages", async () => {
    const arn = await machine("listed", "approval");
    const names = ["a", "b", "c", "d"];
    const arns: string[] = [];
    for (const name of names) arns.push(await start(arn, name));
    const token = await waitingToken(local.events, arns[0]!);
    await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }));
    await waitForExecution(sfn(), arns[0]!);
    await waitingToken(local.events, arns[1]!);
    await sfn().send(new StopExecutionCommand({ executionArn: arns[1]! }));

    const all = await sfn().send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(all.executions!.map((e) => [e.name, e.status])).toEqual([
      ["d", "RUNNING"],
      ["c", "RUNNING"],
      ["b", "ABORTED"],
      ["a", "SUCCEEDED"],
    ]);
    expect(all.executions![3]).toMatchObject({ executionArn: arns[0], stateMachineArn: arn, redriveCount: 0 });
    expect(all.executions![3]!.stopDate).toBeInstanceOf(Date);
    expect(all.executions![0]!.stopDate).toBeUndefined();
    expect(all.nextToken).toBeUndefined();

    const running = await sfn().send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "RUNNING" }));
    expect(running.executions!.map((e) => e.name)).toEqual(["d", "c"]);
    const page1 = await sfn().send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 3 }));
    expect(page1.executions!.map((e) => e.name)).toEqual(["d", "c", "b"]);
    const page2 = await sfn().send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 3, nextToken: page1.nextToken }));
    expect(page2.executions!.map((e) => e.name)).toEqual(["a"]);
    expect(page2.nextToken).toBeUndefined();
    const redriven = await sfn().send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: "REDRIVEN" }));
    expect(redriven.executions).toEqual([]);
  });

  it("refuses an unknown machine, a bad status filter and a bad token as the API does", async () => {
    const missing = "arn:aws:states:us-east-1:123456789012:stateMachine:none";
    expect(await rejection(sfn().send(new ListExecutionsCommand({ stateMachineArn: missing })))).toMatchObject({ name: "StateMachineDoesNotExist" });
    const arn = await machine("listed-errors", "greet");
    const badStatus = await rejection(sfn().send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "DONE" as never })));
    expect(badStatus).toMatchObject({ name: "ValidationException" });
    expect(badStatus.message).toContain("statusFilter");
    expect(await rejection(sfn().send(new ListExecutionsCommand({ stateMachineArn: arn, nextToken: "bm9wZQ==" })))).toMatchObject({ name: "InvalidToken" });
  });
});
