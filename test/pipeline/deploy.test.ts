import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DescribeStateMachineCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { FRAGMENTS_FUNCTION } from "../../protocol/index.ts";
import { useLocalServer, waitForExecution } from "./aws.ts";
import { cli, cliAsync, LOCAL_AWS_ENV } from "./cli.ts";

const STEPS = "test/fixtures/compiler/steps.ts";
/** Its default name: its path from the project root (the repository), then the export. */
const NAME = "test-fixtures-compiler-steps-handler";
const MACHINE_ARN = `arn:aws:states:us-east-1:123456789012:stateMachine:${NAME}`;

const local = useLocalServer();
const deploy = (...args: string[]) => cliAsync(["deploy", STEPS, "--endpoint-url", local.server.url, ...args], LOCAL_AWS_ENV);

describe("durable2sfn deploy (against serve)", () => {
  it("--dry-run shows the plan and changes nothing", async () => {
    const r = await deploy("--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`function ${NAME}-fragments: create`);
    expect(r.stdout).toContain(`state machine ${NAME}: create`);
    expect(await local.clients.lambda.send(new GetFunctionCommand({ FunctionName: `${NAME}-fragments` })).catch((e) => e.name)).toBe("ResourceNotFoundException");
  });

  it("creates the function and the state machine; executions give what `durable2sfn run` gives", async () => {
    const r = await deploy();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`function ${NAME}-fragments: created`);
    expect(r.stdout).toContain(`state machine: ${MACHINE_ARN}`);

    const machine = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    expect(machine.definition).not.toContain(FRAGMENTS_FUNCTION);
    expect(machine.definition).toContain(`arn:aws:lambda:us-east-1:123456789012:function:${NAME}-fragments`);

    for (const input of [{ userId: "u1", failUntil: 1 }, { userId: "u2", failUntil: 0, failForever: true }]) {
      const { executionArn } = await local.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: JSON.stringify(input) }));
      const described = await waitForExecution(local.clients.sfn, executionArn!);
      const ran = JSON.parse(cli(["run", STEPS, "--input", JSON.stringify(input), "--json"]).stdout);
      expect(described.status).toBe(ran.status);
      if (ran.status === "SUCCEEDED") expect(JSON.parse(described.output!)).toEqual(ran.result);
      else expect({ error: described.error, message: JSON.parse(described.cause!).errorMessage }).toEqual({ error: ran.error.errorType, message: ran.error.errorMessage });
    }
  });

  it("a second deploy with no change does nothing and says so", async () => {
    const before = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    const r = await deploy();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Up to date");
    expect(r.stdout).toContain("nothing to deploy");
    const after = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    expect(after.revisionId).toBe(before.revisionId);
    const plan = await deploy("--dry-run");
    expect(plan.stdout).toContain(`function ${NAME}-fragments: unchanged`);
    expect(plan.stdout).toContain(`state machine ${NAME}: unchanged`);
  });

  it("a changed role is an update of the state machine only", async () => {
    const r = await deploy("--role-arn", "arn:aws:iam::123456789012:role/other");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`function ${NAME}-fragments: unchanged`);
    expect(r.stdout).toContain(`state machine ${NAME}: updated role`);
    const machine = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    expect(machine.roleArn).toBe("arn:aws:iam::123456789012:role/other");
  });

  it("--name deploys a second copy under another name", async () => {
    const r = await deploy("--name", "steps-copy");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("function steps-copy-fragments: created");
    expect(r.stdout).toContain("state machine steps-copy: created");
  });

  it("a compiled waitForCallback waits on serve until SendTaskSuccess, then ends as `run` does", async () => {
    const CALLBACKS = "test/fixtures/compiler/callbacks.ts";
    const r = await cliAsync(["deploy", CALLBACKS, "--name", "callbacks", "--endpoint-url", local.server.url], LOCAL_AWS_ENV);
    expect(r.code).toBe(0);
    const stateMachineArn = MACHINE_ARN.replace(NAME, "callbacks");
    const { executionArn } = await local.clients.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"requestId":"r-1"}' }));
    const token = await callbackToken(executionArn!);
    const raw = '{"approved": true}';
    // The SDK hands the callback's raw string over; SendTaskSuccess carries it as a JSON string.
    await local.clients.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(raw) }));
    const described = await waitForExecution(local.clients.sfn, executionArn!);
    const scenario = path.join(mkdtempSync(path.join(os.tmpdir(), "d2s-deploy-")), "approved.json");
    writeFileSync(scenario, JSON.stringify({ event: { requestId: "r-1" }, callbacks: { approval: [{ success: raw }] } }));
    // The last line: the step's ctx.logger output also lands on run's stdout (reported separately).
    const ran = JSON.parse(cli(["run", CALLBACKS, "--scenario", scenario, "--json"]).stdout.trim().split("\n").at(-1)!);
    expect(described.status).toBe("SUCCEEDED");
    expect(JSON.parse(described.output!)).toEqual(ran.result);
  });

  it("refuses to replace a state machine built from another handler, unless --force", async () => {
    const CALLBACKS = "test/fixtures/compiler/callbacks.ts";
    const over = (...args: string[]) => cliAsync(["deploy", CALLBACKS, "--endpoint-url", local.server.url, ...args], LOCAL_AWS_ENV);
    const before = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    const refused = await over("--name", NAME);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `durable2sfn deploy: state machine ${NAME} holds handler from steps.ts, not handler from callbacks.ts; nothing changed (--name gives this handler its own, --force replaces it)`,
    );
    const after = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    expect(after.revisionId).toBe(before.revisionId);
    // steps-copy (the --name test's) holds steps.ts too: --force replaces it.
    const forced = await over("--name", "steps-copy", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    const copy = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN.replace(NAME, "steps-copy") }));
    expect(JSON.parse(copy.definition!).Comment).toContain("from callbacks.ts");
  });

  it("usage errors exit 2; an unreachable endpoint exits 1 without a stack", async () => {
    expect(cli(["deploy", "test/fixtures/asl/greet.asl.json"]).code).toBe(2);
    expect((await deploy("--name", "bad name")).code).toBe(2);
    const r = cli(["deploy", STEPS, "--endpoint-url", "http://127.0.0.1:9"], LOCAL_AWS_ENV);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot reach");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** The callback id the compiled submitter got: the task token, in the TaskScheduled parameters. */
async function callbackToken(executionArn: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const { events } = await local.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const scheduled = events!.find((e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails!.resource === "invoke.waitForTaskToken");
    if (scheduled) return JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).Payload.callbackId;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no callback task scheduled");
}
