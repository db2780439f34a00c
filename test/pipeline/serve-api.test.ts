import { execFile, spawnSync } from "node:child_process";
import http from "node:http";
import dns from "node:dns";
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { aslFixture, callbackTaskToken, rejection, TEST_ROLE, useLocalServer, waitForExecution } from "./aws.ts";

const ARN = "arn:aws:states:us-east-1:123456789012";

const local = useLocalServer();
const sfn = () => local.clients.sfn;
const taskToken = (executionArn: string) => callbackTaskToken(sfn(), executionArn);
const createMachine = (name: string, definition: string, extra: { type?: "EXPRESS"; roleArn?: string } = {}) =>
  sfn().send(new CreateStateMachineCommand({ name, definition, roleArn: TEST_ROLE, ...extra }));

/** A machine that waits for a callback, so that its executions stay RUNNING until answered. */
const waiting = aslFixture("approval");

describe("serve: DeleteStateMachine", () => {
  it("a machine with no running execution is gone at once; deleting it again is no error", async () => {
    const { stateMachineArn } = await createMachine("to-delete", aslFixture("greet"));
    await sfn().send(new DeleteStateMachineCommand({ stateMachineArn }));
    await eventually(async () => (await rejection(sfn().send(new DescribeStateMachineCommand({ stateMachineArn })))).name === "StateMachineDoesNotExist");
    await sfn().send(new DeleteStateMachineCommand({ stateMachineArn }));
  });

  it("with a running execution: DELETING, no new executions, gone when the execution ends", async () => {
    const { stateMachineArn } = await createMachine("deleting", waiting);
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    const token = await taskToken(executionArn!);
    await sfn().send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await sfn().send(new DescribeStateMachineCommand({ stateMachineArn }))).status).toBe("DELETING");
    const start = await rejection(sfn().send(new StartExecutionCommand({ stateMachineArn, input: "{}" })));
    expect(start).toMatchObject({ name: "StateMachineDeleting", status: 400 });
    expect(start.message).toContain(stateMachineArn);
    expect(await rejection(sfn().send(new UpdateStateMachineCommand({ stateMachineArn, roleArn: TEST_ROLE })))).toMatchObject({ name: "StateMachineDeleting" });
    await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: '{"ok":1}' }));
    await eventually(async () => (await rejection(sfn().send(new DescribeStateMachineCommand({ stateMachineArn })))).name === "StateMachineDoesNotExist");
    expect(await rejection(sfn().send(new DescribeExecutionCommand({ executionArn })))).toMatchObject({ name: "ExecutionDoesNotExist" });
  });

  it("an ARN that is no state machine ARN is InvalidArn", async () => {
    expect(await rejection(sfn().send(new DeleteStateMachineCommand({ stateMachineArn: "nope" })))).toMatchObject({ name: "InvalidArn", status: 400 });
    const executionArn = `${ARN}:execution:x:y`;
    expect(await rejection(sfn().send(new DescribeStateMachineCommand({ stateMachineArn: executionArn })))).toMatchObject({
      name: "InvalidArn",
      message: "Invalid Arn: 'Resource type not valid in this context: execution'",
    });
    expect(await rejection(sfn().send(new DescribeExecutionCommand({ executionArn: `${ARN}:stateMachine:x` })))).toMatchObject({ name: "InvalidArn" });
  });
});

describe("serve: DescribeStateMachineForExecution and roles", () => {
  it("reports the definition and role the execution ran with, not a later update", async () => {
    const role = "arn:aws:iam::123456789012:role/my-own-role";
    const { stateMachineArn } = await createMachine("for-execution", aslFixture("greet"), { roleArn: role });
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, input: '{"name":"Ada"}' }));
    await waitForExecution(sfn(), executionArn!);
    const later = aslFixture("greet").replace("hello ", "hi ");
    await sfn().send(new UpdateStateMachineCommand({ stateMachineArn, definition: later, roleArn: `${role}-2` }));

    const described = await sfn().send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ stateMachineArn, name: "for-execution", definition: aslFixture("greet"), roleArn: role });
    expect(described.updateDate).toBeInstanceOf(Date);
    expect((await sfn().send(new DescribeStateMachineCommand({ stateMachineArn }))).roleArn).toBe(`${role}-2`);
    // the role is the execution's role in its history too
    const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events![0]!.executionStartedEventDetails!.roleArn).toBe(role);

    const missing = `${ARN}:execution:for-execution:none`;
    expect(await rejection(sfn().send(new DescribeStateMachineForExecutionCommand({ executionArn: missing })))).toMatchObject({ name: "ExecutionDoesNotExist" });
  });
});

describe("serve: ListStateMachines", () => {
  it("pages with maxResults and nextToken, oldest first", async () => {
    for (const n of [1, 2, 3]) await createMachine(`paged-${n}`, aslFixture("greet"));
    const all = (await sfn().send(new ListStateMachinesCommand({}))).stateMachines!.map((m) => m.name);
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sfn().send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      expect(page.stateMachines!.length).toBeLessThanOrEqual(2);
      names.push(...page.stateMachines!.map((m) => m.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(names).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(names.filter((n) => n.startsWith("paged-"))).toEqual(["paged-1", "paged-2", "paged-3"]);
    expect(await rejection(sfn().send(new ListStateMachinesCommand({ nextToken: "bm9wZQ==" })))).toMatchObject({ name: "InvalidToken" });
    expect(await rejection(sfn().send(new ListStateMachinesCommand({ maxResults: 1001 })))).toMatchObject({ name: "ValidationException" });
  });
});

describe("serve: tags", () => {
  it("tags from CreateStateMachine, TagResource (replacing a key's value) and UntagResource", async () => {
    const { stateMachineArn } = await sfn().send(
      new CreateStateMachineCommand({ name: "tagged", definition: aslFixture("greet"), roleArn: TEST_ROLE, tags: [{ key: "team", value: "a" }] }),
    );
    const list = async () => (await sfn().send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags;
    expect(await list()).toEqual([{ key: "team", value: "a" }]);
    await sfn().send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: "team", value: "b" }, { key: "env", value: "dev" }] }));
    expect(await list()).toEqual([
      { key: "team", value: "b" },
      { key: "env", value: "dev" },
    ]);
    await sfn().send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ["team", "absent"] }));
    expect(await list()).toEqual([{ key: "env", value: "dev" }]);
  });

  it("errors: TooManyTags past 50, ValidationException for a bad key, ResourceNotFound, InvalidArn", async () => {
    const { stateMachineArn } = await createMachine("many-tags", aslFixture("greet"));
    const tags = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: "v" }));
    await sfn().send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: tags(50) }));
    const tooMany = await rejection(sfn().send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: tags(1, 50) })));
    expect(tooMany).toMatchObject({ name: "TooManyTags", status: 400 });
    // nothing of a refused call is kept
    expect((await sfn().send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toHaveLength(50);
    const tooManyAtCreate = sfn().send(new CreateStateMachineCommand({ name: "too-many", definition: aslFixture("greet"), roleArn: TEST_ROLE, tags: tags(51) }));
    expect(await rejection(tooManyAtCreate)).toMatchObject({ name: "TooManyTags" });
    expect(await rejection(sfn().send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: "", value: "v" }] })))).toMatchObject({
      name: "ValidationException",
    });
    const missing = `${ARN}:stateMachine:nobody`;
    expect(await rejection(sfn().send(new ListTagsForResourceCommand({ resourceArn: missing })))).toMatchObject({ name: "ResourceNotFound", status: 400 });
    expect(await rejection(sfn().send(new TagResourceCommand({ resourceArn: "arn:x", tags: [] })))).toMatchObject({ name: "InvalidArn" });
  });
});

describe("serve: StartSyncExecution", () => {
  it("runs an EXPRESS machine to its end and answers with the result; a STANDARD machine is StateMachineTypeNotSupported", async () => {
    const { stateMachineArn } = await createMachine("express-greet", aslFixture("greet"), { type: "EXPRESS" });
    const done = await sfn().send(new StartSyncExecutionCommand({ stateMachineArn, name: "sync-1", input: '{"name":"Ada"}' }));
    expect(done).toMatchObject({ status: "SUCCEEDED", stateMachineArn, name: "sync-1", input: '{"name":"Ada"}' });
    expect(JSON.parse(done.output!)).toEqual({ greeting: "hello Ada" });
    expect(done.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:express-greet:sync-1:[0-9a-f-]{36}$/);
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
    expect(done.billingDetails!.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);

    const failing = await createMachine("express-fail", aslFixture("reject"), { type: "EXPRESS" });
    const failed = await sfn().send(new StartSyncExecutionCommand({ stateMachineArn: failing.stateMachineArn, input: "{}" }));
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBeDefined();
    expect(failed.output).toBeUndefined();

    const standard = await createMachine("standard-greet", aslFixture("greet"));
    expect(await rejection(sfn().send(new StartSyncExecutionCommand({ stateMachineArn: standard.stateMachineArn, input: "{}" })))).toMatchObject({
      name: "StateMachineTypeNotSupported",
      status: 400,
    });
    expect(await rejection(sfn().send(new StartSyncExecutionCommand({ stateMachineArn, input: "{nope" })))).toMatchObject({ name: "InvalidExecutionInput" });
    expect(await rejection(sfn().send(new StartSyncExecutionCommand({ stateMachineArn, name: "bad name!" })))).toMatchObject({ name: "InvalidName" });
  });

  it("a client that keeps the sync- host prefix is answered too, when the prefixed name resolves to serve", async () => {
    const { stateMachineArn } = await createMachine("express-prefixed", aslFixture("greet"), { type: "EXPRESS" });
    const url = new URL(local.server.url);
    const seen: string[] = [];
    // The prefixed name resolves to the loopback address, as an /etc/hosts line would make it.
    const lookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
      seen.push(hostname);
      dns.lookup(url.hostname, options, callback as never);
    }) as never;
    const prefixed = new SFNClient({
      region: "us-east-1",
      endpoint: `http://localhost:${url.port}`,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      requestHandler: { httpAgent: new http.Agent({ lookup }) },
    });
    try {
      const done = await prefixed.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"name":"Bo"}' }));
      expect(JSON.parse(done.output!)).toEqual({ greeting: "hello Bo" });
      expect(seen).toContain("sync-localhost");
    } finally {
      prefixed.destroy();
    }
  });
});

/** Polls `check` until it is true (a deletion completes asynchronously, as on AWS). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not reached");
}


const execFileAsync = promisify(execFile);
const hasAwsCli = spawnSync("aws", ["--version"], { encoding: "utf8", timeout: 120_000 }).status === 0;

describe.skipIf(!hasAwsCli)("serve: the AWS CLI", () => {
  /**
   * One `aws stepfunctions` call against serve, host prefixes off as docs/commands.md says, and its
   * JSON answer. Asynchronous: serve runs in this process and must go on answering meanwhile.
   */
  const aws = async (...args: string[]) => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_DISABLE_HOST_PREFIX_INJECTION: "true" };
    const { stdout, stderr } = await execFileAsync("aws", ["stepfunctions", ...args, "--endpoint-url", local.server.url, "--output", "json"], { env, timeout: 60_000 });
    expect(stderr).toBe("");
    return JSON.parse(stdout);
  };

  it("start-sync-execution and test-state, the two calls with a host prefix", async () => {
    const { stateMachineArn } = await createMachine("cli-express", aslFixture("greet"), { type: "EXPRESS" });
    const done = await aws("start-sync-execution", "--state-machine-arn", stateMachineArn!, "--input", '{"name":"Cy"}');
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output)).toEqual({ greeting: "hello Cy" });
    const tested = await aws("test-state", "--definition", '{"QueryLanguage":"JSONata","Type":"Pass","Output":"{% 1 + 1 %}","Next":"X"}', "--inspection-level", "DEBUG");
    expect(tested).toMatchObject({ status: "SUCCEEDED", output: "2", nextState: "X", inspectionData: { input: "{}" } });
  }, 240_000); // two runs of the CLI, each a Python start-up of seconds on a loaded machine
});
