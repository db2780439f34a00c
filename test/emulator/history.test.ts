import { describe, expect, it } from "vitest";
import { eventTypes, graph, lambdaTask, machine, run } from "./helpers.ts";

describe("History (GetExecutionHistory shapes)", () => {
  it("events have id, previousEventId, a virtual timestamp and the API's details objects", async () => {
    const def = machine({ T: lambdaTask("f", { Arguments: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", Payload: { a: 1 } } }) });
    const r = await run(def, { input: { in: true }, lambda: () => ({ b: 2 }), startTime: new Date("2025-02-02T00:00:00Z") });
    expect(r.history.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.history.map((e) => e.previousEventId)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const e of r.history) expect(e.timestamp).toEqual(new Date("2025-02-02T00:00:00Z"));
    const [started, entered, scheduled, taskStarted, succeeded, exited, done] = r.history as any[];
    expect(started.executionStartedEventDetails).toMatchObject({ input: '{"in":true}', inputDetails: { truncated: false } });
    expect(entered.stateEnteredEventDetails).toEqual({ name: "T", input: '{"in":true}', inputDetails: { truncated: false } });
    expect(scheduled.taskScheduledEventDetails).toEqual({
      resourceType: "lambda",
      resource: "invoke",
      region: "us-east-1",
      parameters: '{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","Payload":{"a":1}}',
    });
    expect(taskStarted.taskStartedEventDetails).toEqual({ resourceType: "lambda", resource: "invoke" });
    expect(JSON.parse(succeeded.taskSucceededEventDetails.output)).toEqual({ StatusCode: 200, Payload: { b: 2 }, ExecutedVersion: "$LATEST" });
    expect(exited.stateExitedEventDetails).toMatchObject({ name: "T", output: '{"b":2}' });
    expect(done.executionSucceededEventDetails).toMatchObject({ output: '{"b":2}' });
  });

  it("each state type records <Type>StateEntered and <Type>StateExited", async () => {
    const def = machine({
      P: { Type: "Pass", Next: "C" },
      C: { Type: "Choice", Choices: [{ Condition: "{% true %}", Next: "W" }] },
      W: { Type: "Wait", Seconds: 1, Next: "Par" },
      Par: { Type: "Parallel", Branches: [graph({ B: { Type: "Pass", End: true } })], Next: "M" },
      M: { Type: "Map", Items: [1], ItemProcessor: graph({ I: { Type: "Pass", End: true } }), Next: "S" },
      S: { Type: "Succeed" },
    });
    const r = await run(def);
    expect(eventTypes(r)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "PassStateEntered",
      "PassStateExited",
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "MapStateEntered",
      "MapStateStarted",
      "MapIterationStarted",
      "PassStateEntered",
      "PassStateExited",
      "MapIterationSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("a failed execution ends with ExecutionFailed carrying error and cause", async () => {
    const r = await run(machine({ F: { Type: "Fail", Error: "E", Cause: "C" } }));
    expect((r.history.at(-1) as any).executionFailedEventDetails).toEqual({ error: "E", cause: "C" });
  });

  it("a Map iteration stopped by another's failure records MapIterationAborted", async () => {
    const def = machine({
      M: {
        Type: "Map",
        Items: [0, 1],
        ItemProcessor: graph({
          C: { Type: "Choice", Choices: [{ Condition: "{% $states.input = 0 %}", Next: "Slow" }], Default: "Bad" },
          Slow: { Type: "Wait", Seconds: 100, End: true },
          Bad: { Type: "Fail", Error: "Bad" },
        }),
        End: true,
      },
    });
    const r = await run(def);
    expect(eventTypes(r)).toEqual(expect.arrayContaining(["MapIterationFailed", "MapIterationAborted", "MapStateFailed"]));
  });
});

describe("Stats", () => {
  it("stateTransitions counts states entered (Map iterations and branches included) plus retries", async () => {
    let calls = 0;
    const def = machine({
      T: lambdaTask("f", { Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1 }], Next: "M" }),
      M: { Type: "Map", Items: [1, 2, 3], ItemProcessor: graph({ A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } }), End: true },
    });
    const r = await run(def, { lambda: () => { if (++calls === 1) throw new Error("once"); return 0; } });
    // T (1) + its retry (1) + M (1) + 3 iterations x 2 states (6)
    expect(r.stats.stateTransitions).toBe(9);
    expect(r.stats.lambdaInvocations).toBe(2);
    expect(r.stats.historyEvents).toBe(r.history.length);
    expect(r.stats.virtualSeconds).toBe(1);
  });
});
