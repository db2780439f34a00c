import { readFileSync } from "node:fs";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { TEST_ROLE, waitForExecution } from "../pipeline/aws.ts";
import { cliAsync, LOCAL_AWS_ENV } from "../pipeline/cli.ts";
import { useServerWithEvents, waitingToken } from "./events.ts";

const local = useServerWithEvents();
const sfn = () => local.clients.sfn;
const run = (args: string[]) => cliAsync([...args, "--endpoint-url", local.server.url], LOCAL_AWS_ENV);

/** An execution of the approval fixture (an SQS .waitForTaskToken task), started and waiting; its token. */
async function waitingExecution(machine: string, name: string): Promise<{ executionArn: string; token: string }> {
  const definition = readFileSync("test/fixtures/asl/approval.asl.json", "utf8");
  const { stateMachineArn } = await sfn().send(new CreateStateMachineCommand({ name: machine, definition, roleArn: TEST_ROLE }));
  const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: "{}" }));
  return { executionArn: executionArn!, token: await waitingToken(local.events, executionArn!) };
}

describe("durable2sfn callback", () => {
  it("succeed sends the result; the execution ends with it; a second answer is TaskDoesNotExist, exit 1, one line", async () => {
    const { executionArn, token } = await waitingExecution("cb-succeed", "yes");
    expect(await run(["callback", "heartbeat", token])).toMatchObject({ code: 0, stdout: "heartbeat sent\n" });
    expect(await run(["callback", "succeed", token, "--result", '{"approved":true}'])).toMatchObject({ code: 0, stdout: "callback answered (succeed)\n" });
    const done = await waitForExecution(sfn(), executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output!)).toEqual({ approved: true });
    const again = await run(["callback", "succeed", `"${token}"`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^durable2sfn callback succeed: TaskDoesNotExist: .+\n$/);
  });

  it("fail sends the error and cause", async () => {
    const { executionArn, token } = await waitingExecution("cb-fail", "no");
    expect((await run(["callback", "fail", token, "--error", "Rejected", "--cause", "over budget"])).code).toBe(0);
    expect(await waitForExecution(sfn(), executionArn)).toMatchObject({ status: "FAILED", error: "Rejected", cause: "over budget" });
  });

  it("usage errors are one line and exit 2, and nothing is sent", async () => {
    const { executionArn, token } = await waitingExecution("cb-usage", "usage");
    const cases: Array<[string[], RegExp]> = [
      [["callback", "approve", token], /callback takes succeed, fail or heartbeat, not "approve"/],
      [["callback", "succeed", token, "--result", "{nope"], /--result must be JSON/],
      [["callback", "fail", token, "--result", "{}"], /callback fail does not take --result/],
      [["callback", "heartbeat", token, "--error", "E"], /callback heartbeat does not take --error/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
  });

  it("a server that does not answer is exit 1 with one line", async () => {
    const r = await cliAsync(["callback", "heartbeat", "AQB4x", "--endpoint-url", "http://127.0.0.1:9"], LOCAL_AWS_ENV);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("durable2sfn callback heartbeat: cannot reach http://127.0.0.1:9 (ECONNREFUSED)\n");
  });

  it("answers a compiled handler's waitForCallback by the callback id its code saw", async () => {
    const deployed = await run(["deploy", "test/fixtures/handlers/console-callback.ts", "--name", "console-callback"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:console-callback";
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, input: '{"item":"desk"}' }));
    let id: string | undefined;
    for (let i = 0; i < 400 && !id; i++) {
      id = local.logs.map((line) => /callback id: (\S+)/.exec(line)?.[1]).find(Boolean);
      if (!id) await new Promise((r) => setTimeout(r, 25));
    }
    expect(id).toBe(await waitingToken(local.events, executionArn!));
    expect((await run(["callback", "succeed", id!, "--result", '{"ok":true}'])).code).toBe(0);
    const done = await waitForExecution(sfn(), executionArn!, 60_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output!)).toEqual({ item: "DESK", answer: { ok: true } });
  });
});

describe("durable2sfn executions", () => {
  it("list (table and --json, by machine and status), history, stop", async () => {
    const first = await waitingExecution("ex-list", "first");
    const second = await waitingExecution("ex-list", "second");
    const machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:ex-list";

    const table = await run(["executions", "list", "--state-machine", machineArn]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^STATUS +STARTED +STOPPED +EXECUTION$/);
    expect(lines.slice(1).map((l) => l.split(/ +/)[0] + " " + l.split(/ +/).at(-1))).toEqual([`RUNNING ${second.executionArn}`, `RUNNING ${first.executionArn}`]);

    const stopped = await run(["executions", "stop", first.executionArn, "--error", "Operator", "--cause", "test"]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped ${first.executionArn}`);
    expect(await sfn().send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).toMatchObject({ status: "ABORTED", error: "Operator", cause: "test" });

    const aborted = JSON.parse((await run(["executions", "list", "--status", "ABORTED", "--json"])).stdout) as Array<{ executionArn: string; status: string }>;
    expect(aborted.map((e) => e.executionArn)).toEqual([first.executionArn]);
    expect(aborted[0]!.status).toBe("ABORTED");

    const history = await run(["executions", "history", first.executionArn]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^ID +TIME +TYPE +STATE +DETAIL\n1 +\S+ +ExecutionStarted/);
    expect(history.stdout).toMatch(/TaskStateEntered +Approval/);
    expect(history.stdout.trimEnd().split("\n").at(-1)).toMatch(/ExecutionAborted +Operator: test$/);
    const events = JSON.parse((await run(["executions", "history", first.executionArn, "--json"])).stdout) as Array<{ type: string }>;
    expect(events.at(-1)!.type).toBe("ExecutionAborted");
  });

  it("refusals: an unknown execution is exit 1 in one line; misused flags and arguments exit 2", async () => {
    const missing = "arn:aws:states:us-east-1:123456789012:execution:ex-list:none";
    const r = await run(["executions", "history", missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^durable2sfn executions history: ExecutionDoesNotExist: .+\n$/);
    const cases: Array<[string[], RegExp]> = [
      [["executions", "show"], /executions takes list, history or stop, not "show"/],
      [["executions", "stop"], /executions stop needs an execution ARN/],
      [["executions", "list", "--status", "DONE"], /--status must be one of RUNNING/],
      [["executions", "history", missing, "--status", "RUNNING"], /executions history does not take --status/],
    ];
    for (const [args, message] of cases) {
      const u = await run(args);
      expect(u.code).toBe(2);
      expect(u.stderr).toMatch(message);
    }
  });
});
