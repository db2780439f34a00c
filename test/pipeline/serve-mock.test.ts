import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { spawnServe } from "../../bench/serve-load.ts";
import type { MockConfig } from "../../runtime/emulator/index.ts";
import { localClients, rejection, TEST_ROLE, useLocalServer, waitForExecution } from "./aws.ts";

const MOCK_FILE = "test/fixtures/asl/approval.mock-config.json";
const mockConfig = JSON.parse(readFileSync(MOCK_FILE, "utf8")) as MockConfig;
const approval = readFileSync("test/fixtures/asl/approval.asl.json", "utf8");

describe("serve --mock-config: Step Functions Local's test cases", () => {
  const local = useLocalServer({ mockConfig });

  it("StartExecution of <machine ARN>#<TestCase> answers the mocked states from the test case", async () => {
    const sfn = local.clients.sfn;
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "approval", definition: approval, roleArn: TEST_ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Approved`, name: "mocked", input: "{}" }));
    // the execution belongs to the machine itself, as in Step Functions Local
    expect(executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:approval:mocked");
    const done = await waitForExecution(sfn, executionArn!);
    expect(done).toMatchObject({ status: "SUCCEEDED", stateMachineArn });
    expect(JSON.parse(done.output!)).toEqual({ approved: true, by: "mock" });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).not.toContain("TaskSubmitted");

    // without the suffix the same machine runs for real: it waits for its callback
    const plain = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: plain.executionArn }))).status).toBe("RUNNING");
  });

  it("a test case the configuration does not have is a ValidationException naming it", async () => {
    const sfn = local.clients.sfn;
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "approval", definition: approval, roleArn: TEST_ROLE }));
    const missing = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Nope`, input: "{}" })));
    expect(missing).toMatchObject({ name: "ValidationException", status: 400 });
    expect(missing.message).toContain('no test case "Nope"');
    const other = await sfn.send(new CreateStateMachineCommand({ name: "unlisted", definition: approval, roleArn: TEST_ROLE }));
    const unlisted = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: `${other.stateMachineArn}#Approved`, input: "{}" })));
    expect(unlisted.message).toContain('no state machine "unlisted"');
  });
});

describe("serve without --mock-config", () => {
  const local = useLocalServer();

  it("a #TestCase suffix is InvalidArn, saying what it needs", async () => {
    const sfn = local.clients.sfn;
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "approval", definition: approval, roleArn: TEST_ROLE }));
    const refused = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Approved`, input: "{}" })));
    expect(refused).toMatchObject({ name: "InvalidArn", status: 400 });
    expect(refused.message).toContain("--mock-config");
  });
});

describe("durable2sfn serve --mock-config", () => {
  it("reads the file at start; SFN_MOCK_CONFIG names it as in Step Functions Local; a bad file is a usage error", async () => {
    for (const args of [["--mock-config", MOCK_FILE], []]) {
      const previous = process.env.SFN_MOCK_CONFIG;
      if (args.length === 0) process.env.SFN_MOCK_CONFIG = MOCK_FILE;
      const { child, url } = await spawnServe(args).finally(() => {
        if (previous === undefined) delete process.env.SFN_MOCK_CONFIG;
        else process.env.SFN_MOCK_CONFIG = previous;
      });
      const { sfn, lambda } = localClients(url);
      try {
        const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "approval", definition: approval, roleArn: TEST_ROLE }));
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Approved`, input: "{}" }));
        expect(JSON.parse((await waitForExecution(sfn, executionArn!)).output!)).toEqual({ approved: true, by: "mock" });
      } finally {
        sfn.destroy();
        lambda.destroy();
        child.kill("SIGTERM");
      }
    }
    const dir = mkdtempSync(path.join(tmpdir(), "d2s-mock-"));
    writeFileSync(path.join(dir, "bad.json"), "[1]");
    for (const [file, message] of [
      [path.join(dir, "bad.json"), "a mock configuration is an object with StateMachines and MockedResponses objects"],
      [path.join(dir, "absent.json"), "cannot read mock configuration file"],
    ] as const) {
      const bad = spawnSync(process.execPath, ["cli/bin.mjs", "serve", "--port", "0", "--mock-config", file], { encoding: "utf8", timeout: 30_000 });
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
      expect(bad.stderr).toContain(message);
    }
  });
});
