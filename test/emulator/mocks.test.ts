import { describe, expect, it } from "vitest";
import { MockConfigError, type MockConfig } from "../../runtime/emulator/index.ts";
import { lambdaTask, LAMBDA_TOKEN, machine, run } from "./helpers.ts";

const config: MockConfig = {
  StateMachines: {
    Orders: {
      TestCases: {
        HappyPath: { Charge: "ChargeOk" },
        RetryPath: { Charge: "ChargeBusyThenOk" },
        Approval: { Approve: "Approved" },
      },
    },
  },
  MockedResponses: {
    ChargeOk: { "0": { Return: { StatusCode: 200, Payload: { charged: 10 } } } },
    ChargeBusyThenOk: {
      "0": { Throw: { Error: "Lambda.TooManyRequestsException", Cause: "slow down" } },
      "1-2": { Throw: { Error: "Lambda.TooManyRequestsException", Cause: "still busy" } },
      "3": { Return: { StatusCode: 200, Payload: { charged: 20 } } },
    },
    Approved: { "0": { Return: { approved: true } } },
  },
};

const def = machine({
  Charge: lambdaTask("charge", { Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"], MaxAttempts: 3 }], Next: "Done" }),
  Done: { Type: "Succeed" },
});

describe("Mock config (Step Functions Local)", () => {
  it("a mocked Task returns its Return value instead of calling the handler", async () => {
    const r = await run(def, { mock: { config, testCase: "HappyPath" }, lambda: () => { throw new Error("must not be called"); } });
    expect(r.output).toEqual({ charged: 10 });
    expect(r.stats.lambdaInvocations).toBe(1);
  });

  it("mocked responses are chosen per attempt index, ranges such as \"1-2\" included", async () => {
    const r = await run(def, { mock: { config, testCase: "RetryPath" } });
    expect(r.output).toEqual({ charged: 20 });
    const failures = r.history.filter((e) => e.type === "TaskFailed").map((e: any) => e.taskFailedEventDetails.cause);
    expect(failures).toEqual(["slow down", "still busy", "still busy"]);
    expect(r.stats.lambdaInvocations).toBe(4);
  });

  it("a Throw response fails the task with its Error and Cause", async () => {
    const throwing: MockConfig = { ...config, MockedResponses: { ...config.MockedResponses, ChargeOk: { "0": { Throw: { Error: "Boom", Cause: "mocked" } } } } };
    const r = await run(def, { mock: { config: throwing, testCase: "HappyPath" } });
    expect(r).toMatchObject({ status: "FAILED", error: "Boom", cause: "mocked" });
  });

  it("a mocked .waitForTaskToken task returns at once with the mocked result", async () => {
    const tokenDef = machine({ Approve: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "a", Payload: {} }, End: true } });
    const r = await run(tokenDef, { mock: { config, testCase: "Approval" } });
    expect(r.output).toEqual({ approved: true });
    expect(r.stats.virtualSeconds).toBe(0);
  });

  it("states the test case does not name still call their handlers", async () => {
    const two = machine({ Charge: lambdaTask("charge", { Next: "Ship" }), Ship: lambdaTask("ship") });
    const r = await run(two, { mock: { config, testCase: "HappyPath" }, lambda: (fn) => `${fn} called` });
    expect(r.output).toBe("ship called");
  });

  it("an unknown test case is refused before running", async () => {
    await expect(run(def, { mock: { config, testCase: "Nope" } })).rejects.toThrow(MockConfigError);
  });

  it("running out of mocked responses fails with States.Runtime", async () => {
    const r = await run(def, { mock: { config: { ...config, MockedResponses: { ...config.MockedResponses, ChargeBusyThenOk: { "0": { Throw: { Error: "Lambda.TooManyRequestsException" } } } } }, testCase: "RetryPath" } });
    expect(r.error).toBe("States.Runtime");
  });
});
