import { describe, expect, it } from "vitest";
import { StatesError } from "../../runtime/emulator/index.ts";
import { toRunReport } from "../../runtime/emulator/report.ts";
import { lambdaTask, machine, namedError, run } from "./helpers.ts";

describe("lambda:invoke", () => {
  it("the handler gets the short function name, the Payload and call info; its return value is Payload", async () => {
    const calls: unknown[] = [];
    const def = machine({
      T: lambdaTask("x", { Arguments: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST", Payload: { n: 1 } }, Output: "{% $states.result %}" }),
    });
    const r = await run(def, {
      executionName: "e-1",
      lambda: (fn, payload, info) => {
        calls.push([fn, payload, info]);
        return { ok: true };
      },
    });
    expect(calls).toEqual([
      [
        "charge",
        { n: 1 },
        {
          stateName: "T",
          resource: "arn:aws:states:::lambda:invoke",
          retryCount: 0,
          executionName: "e-1",
          now: Date.UTC(2025, 0, 1),
          functionName: "arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST",
        },
      ],
    ]);
    expect(r.output).toEqual({ StatusCode: 200, Payload: { ok: true }, ExecutedVersion: "$LATEST" });
  });

  it("hands the function the virtual time of the call: a Task after a 30 s Wait and a retry of 2 s sees 32 s pass", async () => {
    const seen: number[] = [];
    const def = machine({
      W: { Type: "Wait", Seconds: 30, Next: "T" },
      T: lambdaTask("f", { Retry: [{ ErrorEquals: ["Again"], IntervalSeconds: 2, MaxAttempts: 1 }] }),
    });
    const r = await run(def, {
      lambda: (_fn, _payload, info) => {
        seen.push(info.now! - Date.UTC(2025, 0, 1));
        if (info.retryCount === 0) throw namedError("Again", "once more");
        return {};
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(seen).toEqual([30000, 32000]);
  });

  it("a function error is reported as Error = errorType and Cause = {errorType, errorMessage, trace}", async () => {
    const r = await run(machine({ T: lambdaTask("f") }), { lambda: () => { throw namedError("ValidationError", "bad order"); } });
    expect(r.error).toBe("ValidationError");
    const cause = JSON.parse(r.cause!);
    expect(cause).toMatchObject({ errorType: "ValidationError", errorMessage: "bad order" });
    expect(Array.isArray(cause.trace)).toBe(true);
  });

  it("a StatesError thrown by the handler is a service error, used as is (e.g. Lambda.ServiceException)", async () => {
    const r = await run(machine({ T: lambdaTask("f") }), { lambda: () => { throw new StatesError("Lambda.ServiceException", "503"); } });
    expect(r).toMatchObject({ error: "Lambda.ServiceException", cause: "503" });
  });

  it("the handler gets its own copy of the payload", async () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { order: { items: [1] } }, Next: "T" },
      T: lambdaTask("f", { Next: "Read" }, "{% $order %}"),
      Read: { Type: "Pass", Output: "{% $order %}", End: true },
    });
    const r = await run(def, { lambda: (_fn, payload) => { (payload as { items: number[] }).items.push(2); } });
    expect(r.output).toEqual({ items: [1] });
  });

  it("without a lambda handler the task fails with States.Runtime", async () => {
    expect((await run(machine({ T: lambdaTask("f") }))).error).toBe("States.Runtime");
  });
});

describe("other Task resources", () => {
  const sdkTask = {
    Type: "Task",
    Resource: "arn:aws:states:::aws-sdk:dynamodb:getItem",
    Arguments: { TableName: "orders", Key: { id: { S: "{% $states.input.id %}" } } },
    End: true,
  };

  it("handlers keyed by Resource receive the Arguments; the result is $states.result", async () => {
    const r = await run(machine({ T: sdkTask }), { input: { id: "o-1" }, handlers: { [sdkTask.Resource]: (input) => ({ Item: input }) } });
    expect(r.output).toEqual({ Item: { TableName: "orders", Key: { id: { S: "o-1" } } } });
    const scheduled = r.history.find((e) => e.type === "TaskScheduled") as Record<string, any>;
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: "aws-sdk:dynamodb", resource: "getItem" });
  });

  it("a handler error becomes Error = name and Cause = message; {error, cause} objects are taken as they are", async () => {
    const failWith = (thrown: unknown) => run(machine({ T: sdkTask }), { input: { id: "x" }, handlers: { [sdkTask.Resource]: () => { throw thrown; } } });
    expect(await failWith(namedError("DynamoDB.ResourceNotFoundException", "no table"))).toMatchObject({
      error: "DynamoDB.ResourceNotFoundException",
      cause: "no table",
    });
    expect(await failWith({ error: "Custom", cause: "why" })).toMatchObject({ error: "Custom", cause: "why" });
  });
});

describe("run report", () => {
  it("maps SUCCEEDED to result, FAILED and TIMED_OUT to error {errorType, errorMessage}", async () => {
    const ok = await run(machine({ P: { Type: "Pass", Output: 1, End: true } }));
    expect(toRunReport(ok)).toEqual({ status: "SUCCEEDED", result: 1, stats: ok.stats });
    const timedOut = await run(machine({ W: { Type: "Wait", Seconds: 10, End: true } }, { TimeoutSeconds: 1 }));
    expect(toRunReport(timedOut)).toMatchObject({ status: "FAILED", error: { errorType: "States.Timeout" } });
  });
});

describe("variable quotas", () => {
  it("an Assign block over 256 KiB fails with States.DataLimitExceeded", async () => {
    const big = "{% $join($map($range(1, 14000), function($i) { '0123456789' }), '') %}";
    const r = await run(machine({ P: { Type: "Pass", Assign: { a: big, b: big }, End: true } }));
    expect(r.error).toBe("States.DataLimitExceeded");
  });
});
