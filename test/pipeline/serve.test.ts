import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { spawnServe } from "../../bench/serve-load.ts";
import { aslFixture, callbackTaskToken, localClients, rejection, TEST_ROLE, useLocalServer, waitForExecution } from "./aws.ts";


const local = useLocalServer();
const clients = {
  get sfn() {
    return local.clients.sfn;
  },
  get lambda() {
    return local.clients.lambda;
  },
};

const createMachine = (name: string, definition: string) =>
  clients.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: TEST_ROLE }));

const taskToken = (executionArn: string) => callbackTaskToken(clients.sfn, executionArn);

const zipOf = (source: string) => zipSync({ "index.mjs": new TextEncoder().encode(source) });

describe("serve: state machines", () => {
  it("CreateStateMachine is idempotent for the same definition; Describe, List and Update work", async () => {
    const { stateMachineArn } = await createMachine("greet", aslFixture("greet"));
    expect(stateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:greet");
    expect((await createMachine("greet", aslFixture("greet"))).stateMachineArn).toBe(stateMachineArn);
    const described = await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described).toMatchObject({ name: "greet", status: "ACTIVE", definition: aslFixture("greet"), roleArn: TEST_ROLE, type: "STANDARD" });
    expect(described.creationDate).toBeInstanceOf(Date);
    const listed = await clients.sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name)).toContain("greet");
    const other = aslFixture("greet").replace("hello ", "hi ");
    expect(await rejection(createMachine("greet", other))).toMatchObject({ name: "StateMachineAlreadyExists", status: 400 });
    await clients.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: other }));
    expect((await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition).toBe(other);
  });

  it("errors arrive as the SDK's typed exceptions", async () => {
    const missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope";
    expect(await rejection(clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: missing })))).toMatchObject({
      name: "StateMachineDoesNotExist",
      status: 400,
    });
    const invalid = await rejection(createMachine("bad", aslFixture("invalid-scope")));
    expect(invalid.name).toBe("InvalidDefinition");
    expect(invalid.message).toContain("/States/Each/ItemProcessor/States/Add/Assign/total");
    expect(await rejection(createMachine("bad name!", aslFixture("greet")))).toMatchObject({ name: "InvalidName" });
  });

  it("ValidateStateMachineDefinition runs our validation", async () => {
    const ok = await clients.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: aslFixture("greet") }));
    expect(ok).toMatchObject({ result: "OK", diagnostics: [] });
    const bad = await clients.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: aslFixture("invalid-scope") }));
    expect(bad.result).toBe("FAIL");
    expect(bad.diagnostics![0]).toMatchObject({ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", location: "/States/Each/ItemProcessor/States/Add/Assign/total" });
    const notJson = await clients.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: "{nope" }));
    expect(notJson.diagnostics![0]!.code).toBe("INVALID_JSON_DESCRIPTION");
  });
});

describe("serve: executions", () => {
  it("StartExecution runs asynchronously; DescribeExecution and GetExecutionHistory (paged) report it", async () => {
    const { stateMachineArn } = await createMachine("greet-run", aslFixture("greet"));
    const { executionArn, startDate } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, name: "first", input: '{"name":"Ada"}' }));
    expect(executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:greet-run:first");
    expect(startDate).toBeInstanceOf(Date);
    const done = await waitForExecution(clients.sfn, executionArn!);
    expect(done).toMatchObject({ status: "SUCCEEDED", name: "first", input: '{"name":"Ada"}', stateMachineArn });
    expect(JSON.parse(done.output!)).toEqual({ greeting: "hello Ada" });
    const history = await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events!.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect(history.events![0]!.timestamp).toBeInstanceOf(Date);
    const page1 = await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true }));
    expect(page1.events!.map((e) => e.id)).toEqual([4, 3, 2]);
    const page2 = await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true, nextToken: page1.nextToken }));
    expect(page2.events!.map((e) => e.id)).toEqual([1]);
    expect(page2.nextToken).toBeUndefined();
  });

  it("StartExecution is idempotent by name while running with the same input; otherwise ExecutionAlreadyExists", async () => {
    const { stateMachineArn } = await createMachine("approval", aslFixture("approval"));
    const start = (input: string) => clients.sfn.send(new StartExecutionCommand({ stateMachineArn, name: "req-1", input }));
    const first = await start('{"id":1}');
    const again = await start('{"id":1}');
    expect(again).toEqual({ ...first, $metadata: again.$metadata });
    expect(await rejection(start('{"id":2}'))).toMatchObject({ name: "ExecutionAlreadyExists", status: 400 });
    expect(await rejection(clients.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{nope" })))).toMatchObject({ name: "InvalidExecutionInput" });

    // The callback task holds the execution until it is answered, in real time.
    const token = await taskToken(first.executionArn!);
    expect((await clients.sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).status).toBe("RUNNING");
    await clients.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await clients.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const done = await waitForExecution(clients.sfn, first.executionArn!);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output!)).toEqual({ approved: true });
    // closed: the name cannot be used again
    expect(await rejection(start('{"id":1}'))).toMatchObject({ name: "ExecutionAlreadyExists" });
    expect(await rejection(clients.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toMatchObject({ name: "TaskDoesNotExist" });
  });

  it("SendTaskFailure fails the task with its error and cause", async () => {
    const { stateMachineArn } = await createMachine("approval-2", aslFixture("approval"));
    const { executionArn } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    const token = await taskToken(executionArn!);
    await clients.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "Rejected", cause: "not today" }));
    expect(await waitForExecution(clients.sfn, executionArn!)).toMatchObject({ status: "FAILED", error: "Rejected", cause: "not today" });
  });

  it("DescribeExecution of an unknown ARN is ExecutionDoesNotExist", async () => {
    const arn = "arn:aws:states:us-east-1:123456789012:execution:greet:none";
    expect(await rejection(waitForExecution(clients.sfn, arn))).toMatchObject({ name: "ExecutionDoesNotExist", status: 400 });
  });
});

describe("serve: Lambda functions", () => {
  const machine = (functionName: string) =>
    JSON.stringify({
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { FunctionName: functionName, Payload: "{% $states.input %}" },
          Output: "{% $states.result.Payload %}",
          End: true,
        },
      },
    });

  it("CreateFunction / GetFunction / Invoke / UpdateFunctionCode, and machines run the deployed code", async () => {
    const created = await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: "double",
        Role: TEST_ROLE,
        Runtime: "nodejs22.x",
        Handler: "index.handler",
        Code: { ZipFile: zipOf("export const handler = async (e) => ({ doubled: e.n * 2 });") },
      }),
    );
    expect(created).toMatchObject({ FunctionName: "double", FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:double", State: "Active" });
    const got = await clients.lambda.send(new GetFunctionCommand({ FunctionName: "double" }));
    expect(got.Configuration!.CodeSha256).toBe(created.CodeSha256);
    const invoked = await clients.lambda.send(new InvokeCommand({ FunctionName: "double", Payload: new TextEncoder().encode('{"n":4}') }));
    expect(JSON.parse(new TextDecoder().decode(invoked.Payload))).toEqual({ doubled: 8 });

    const { stateMachineArn } = await createMachine("call-double", machine(created.FunctionArn!));
    const run = async (n: number) => {
      const { executionArn } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n }) }));
      return waitForExecution(clients.sfn, executionArn!);
    };
    expect(JSON.parse((await run(5)).output!)).toEqual({ doubled: 10 });

    const updated = await clients.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: "double", ZipFile: zipOf("export const handler = async (e) => { if (e.n < 0) throw new RangeError('negative'); return { tripled: e.n * 3 }; };") }),
    );
    expect(updated.CodeSha256).not.toBe(created.CodeSha256);
    expect(JSON.parse((await run(5)).output!)).toEqual({ tripled: 15 });
    const failed = await run(-1);
    expect(failed).toMatchObject({ status: "FAILED", error: "RangeError" });
    expect(JSON.parse(failed.cause!)).toMatchObject({ errorType: "RangeError", errorMessage: "negative" });

    const fnError = await clients.lambda.send(new InvokeCommand({ FunctionName: "double", Payload: new TextEncoder().encode('{"n":-1}') }));
    expect(fnError.FunctionError).toBe("Unhandled");
  });

  it("Lambda errors are typed too; a machine calling a missing function fails its task", async () => {
    expect(await rejection(clients.lambda.send(new GetFunctionCommand({ FunctionName: "missing" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    const code = { ZipFile: zipOf("export const handler = async () => 1;") };
    await clients.lambda.send(new CreateFunctionCommand({ FunctionName: "one", Role: TEST_ROLE, Handler: "index.handler", Code: code }));
    expect(await rejection(clients.lambda.send(new CreateFunctionCommand({ FunctionName: "one", Role: TEST_ROLE, Handler: "index.handler", Code: code })))).toMatchObject({
      name: "ResourceConflictException",
      status: 409,
    });
    const { stateMachineArn } = await createMachine("call-missing", machine("missing"));
    const { executionArn } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    expect(await waitForExecution(clients.sfn, executionArn!)).toMatchObject({ status: "FAILED", error: "Lambda.ResourceNotFoundException" });
  });
});

describe("durable2sfn serve", () => {
  it("listens on --port 0, prints its URL, answers, and stops on SIGTERM with exit 0", async () => {
    const { child, url } = await spawnServe();
    const local = localClients(url);
    const ok = await local.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: aslFixture("greet") }));
    expect(ok.result).toBe("OK");
    local.sfn.destroy();
    local.lambda.destroy();
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});
