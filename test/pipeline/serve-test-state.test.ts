import { TestStateCommand, type TestStateCommandInput } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { rejection, useLocalServer } from "./aws.ts";

const local = useLocalServer();
const testState = (input: Omit<TestStateCommandInput, "definition"> & { definition: object | string }) =>
  local.clients.sfn.send(
    new TestStateCommand({ ...input, definition: typeof input.definition === "string" ? input.definition : JSON.stringify(input.definition) }),
  );
const jsonata = (state: object) => ({ QueryLanguage: "JSONata", ...state });

const LAMBDA = "arn:aws:states:::lambda:invoke";
const task = (extra: object = {}) =>
  jsonata({ Type: "Task", Resource: LAMBDA, Arguments: { FunctionName: "charge", Payload: { amount: "{% $states.input.amount * 2 %}" } }, Next: "Done", ...extra });

describe("serve: TestState", () => {
  it("INFO: status, output and nextState of a Pass state; variables given in the request are in scope", async () => {
    const pass = jsonata({ Type: "Pass", Output: "{% {'total': $states.input.n + $base} %}", Assign: { seen: "{% $states.input.n %}" }, Next: "After" });
    const out = await testState({ definition: pass, input: '{"n":2}', variables: '{"base":40}' });
    expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "After" });
    expect(JSON.parse(out.output!)).toEqual({ total: 42 });
    expect(out.inspectionData).toBeUndefined();
    expect(out.error).toBeUndefined();
  });

  it("DEBUG and TRACE: inspectionData with the input and the variables after the state", async () => {
    const pass = jsonata({ Type: "Pass", Output: "{% $states.input.n %}", Assign: { seen: "{% $states.input.n %}" }, End: true });
    for (const inspectionLevel of ["DEBUG", "TRACE"] as const) {
      const out = await testState({ definition: pass, input: '{"n":7}', variables: '{"base":1}', inspectionLevel });
      expect(out).toMatchObject({ status: "SUCCEEDED", output: "7" });
      expect(out.nextState).toBeUndefined();
      expect(JSON.parse(out.inspectionData!.input!)).toEqual({ n: 7 });
      expect(JSON.parse(out.inspectionData!.variables!)).toEqual({ base: 1, seen: 7 });
    }
  });

  it("a mocked Task: afterArguments and result in inspectionData, Output applied", async () => {
    const state = task({ Output: "{% $states.result.Payload %}" });
    const mock = { result: JSON.stringify({ StatusCode: 200, Payload: { charged: 10 } }) };
    const out = await testState({ definition: state, input: '{"amount":5}', inspectionLevel: "DEBUG", mock });
    expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "Done" });
    expect(JSON.parse(out.output!)).toEqual({ charged: 10 });
    expect(JSON.parse(out.inspectionData!.afterArguments!)).toEqual({ FunctionName: "charge", Payload: { amount: 10 } });
    expect(JSON.parse(out.inspectionData!.result!)).toEqual({ StatusCode: 200, Payload: { charged: 10 } });
  });

  it("an error a Catcher takes is CAUGHT_ERROR: its output, error, cause, catchIndex and Next", async () => {
    const state = task({
      Catch: [
        { ErrorEquals: ["Other"], Next: "Elsewhere" },
        { ErrorEquals: ["States.ALL"], Output: "{% {'failed': $states.errorOutput.Error} %}", Assign: { why: "{% $states.errorOutput.Cause %}" }, Next: "Recover" },
      ],
    });
    const mock = { errorOutput: { error: "Card.Declined", cause: "no funds" } };
    const out = await testState({ definition: state, input: '{"amount":5}', inspectionLevel: "DEBUG", mock });
    expect(out).toMatchObject({ status: "CAUGHT_ERROR", error: "Card.Declined", cause: "no funds", nextState: "Recover" });
    expect(JSON.parse(out.output!)).toEqual({ failed: "Card.Declined" });
    expect(out.inspectionData!.errorDetails).toEqual({ catchIndex: 1 });
    // the variable serve uses to read the caught error is not reported
    expect(JSON.parse(out.inspectionData!.variables!)).toEqual({ why: "no funds" });
  });

  it("an error a Retrier matches is RETRIABLE (TestState never retries) until retrierRetryCount uses its attempts up", async () => {
    const state = task({
      Retry: [
        { ErrorEquals: ["Other"], MaxAttempts: 5 },
        { ErrorEquals: ["Card.Declined"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
    });
    const mock = { errorOutput: { error: "Card.Declined", cause: "busy" } };
    const first = await testState({ definition: state, inspectionLevel: "DEBUG", mock, input: '{"amount":1}' });
    expect(first).toMatchObject({ status: "RETRIABLE", error: "Card.Declined", cause: "busy" });
    expect(first.output).toBeUndefined();
    expect(first.inspectionData!.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 2 });
    const second = await testState({ definition: state, inspectionLevel: "DEBUG", mock, input: '{"amount":1}', stateConfiguration: { retrierRetryCount: 1 } });
    expect(second.inspectionData!.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 6 });
    const spent = await testState({ definition: state, inspectionLevel: "DEBUG", mock, input: '{"amount":1}', stateConfiguration: { retrierRetryCount: 2 } });
    expect(spent).toMatchObject({ status: "CAUGHT_ERROR", nextState: "Recover" });
  });

  it("an uncaught error is FAILED; a Task calling a function serve does not have fails as Lambda's would", async () => {
    const failed = await testState({ definition: jsonata({ Type: "Fail", Error: "Order.Rejected", Cause: "{% 'too much: ' & $states.input.n %}" }), input: '{"n":3}' });
    expect(failed).toMatchObject({ status: "FAILED", error: "Order.Rejected", cause: "too much: 3" });
    expect(failed.output).toBeUndefined();
    expect(failed.nextState).toBeUndefined();
    const missing = await testState({ definition: task(), input: '{"amount":1}' });
    expect(missing).toMatchObject({ status: "FAILED", error: "Lambda.ResourceNotFoundException" });
  });

  it("Choice: nextState is the rule that matched, or Default; a whole machine with stateName tests that state", async () => {
    const choice = { Type: "Choice", Choices: [{ Condition: "{% $states.input.n > 10 %}", Next: "Big" }], Default: "Small" };
    expect((await testState({ definition: jsonata(choice), input: '{"n":11}' })).nextState).toBe("Big");
    expect((await testState({ definition: jsonata(choice), input: '{"n":1}' })).nextState).toBe("Small");
    const machine = { QueryLanguage: "JSONata", StartAt: "Pick", States: { Pick: choice, Big: { Type: "Succeed" }, Small: { Type: "Succeed" } } };
    const out = await testState({ definition: machine, stateName: "Pick", input: '{"n":20}' });
    expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "Big", output: '{"n":20}' });
  });

  it("errors: InvalidDefinition, InvalidExecutionInput, and ValidationException for what serve does not run", async () => {
    expect(await rejection(testState({ definition: "{nope" }))).toMatchObject({ name: "InvalidDefinition", status: 400 });
    // a state without QueryLanguage is JSONPath, which the emulator does not run
    const jsonPath = await rejection(testState({ definition: { Type: "Pass", End: true } }));
    expect(jsonPath.name).toBe("InvalidDefinition");
    expect(jsonPath.message).toContain("JSONata");
    expect(await rejection(testState({ definition: jsonata({ Type: "Pass", End: true }), input: "{nope" }))).toMatchObject({ name: "InvalidExecutionInput" });
    const map = jsonata({ Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true });
    expect(await rejection(testState({ definition: map }))).toMatchObject({ name: "ValidationException" });
    const callback = task({ Resource: `${LAMBDA}.waitForTaskToken` });
    expect((await rejection(testState({ definition: callback }))).message).toContain("only with a mock");
    expect(await rejection(testState({ definition: jsonata({ Type: "Pass", End: true }), context: "{}" }))).toMatchObject({ name: "ValidationException" });
    const machine = { QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", End: true } } };
    expect(await rejection(testState({ definition: machine }))).toMatchObject({ name: "ValidationException", message: "stateName is required when the definition is a state machine" });
    expect(await rejection(testState({ definition: machine, stateName: "B" }))).toMatchObject({ name: "ValidationException" });
    expect(await rejection(testState({ definition: jsonata({ Type: "Pass", End: true }), inspectionLevel: "LOUD" as never }))).toMatchObject({ name: "ValidationException" });
  });
});
