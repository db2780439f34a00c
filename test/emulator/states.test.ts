import { describe, expect, it } from "vitest";
import { eventTypes, graph, lambdaTask, machine, run } from "./helpers.ts";

describe("Pass", () => {
  it("Pass: without Output the input passes through", async () => {
    const r = await run(machine({ P: { Type: "Pass", End: true } }), { input: { a: 1 } });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ a: 1 });
  });

  it("Pass: Output replaces the output, with {% %} strings evaluated at any depth", async () => {
    const r = await run(
      machine({ P: { Type: "Pass", Output: { lit: "x", deep: [{ v: "{% $states.input.a + 1 %}" }], s: "not {% an expression" }, End: true } }),
      { input: { a: 1 } },
    );
    expect(r.output).toEqual({ lit: "x", deep: [{ v: 2 }], s: "not {% an expression" });
  });

  it("Output: a whole-field expression may produce any JSON value", async () => {
    const r = await run(machine({ P: { Type: "Pass", Output: "{% [1, 'two', null] %}", End: true } }));
    expect(r.output).toEqual([1, "two", null]);
  });
});

describe("Choice", () => {
  const choice = (extra: Record<string, unknown> = {}) =>
    machine({
      C: {
        Type: "Choice",
        Choices: [
          { Condition: "{% $states.input.n > 10 %}", Next: "Big" },
          { Condition: "{% $states.input.n > 5 %}", Next: "Medium" },
        ],
        Default: "Small",
        ...extra,
      },
      Big: { Type: "Pass", Output: "big", End: true },
      Medium: { Type: "Pass", Output: "medium", End: true },
      Small: { Type: "Pass", Output: "small", End: true },
    });

  it("Choice: the first rule whose Condition is true picks Next", async () => {
    expect((await run(choice(), { input: { n: 20 } })).output).toBe("big");
    expect((await run(choice(), { input: { n: 7 } })).output).toBe("medium");
  });

  it("Choice: Default is followed when no rule matches", async () => {
    expect((await run(choice(), { input: { n: 1 } })).output).toBe("small");
  });

  it("Choice: no match and no Default fails with States.NoChoiceMatched", async () => {
    const def = machine({ C: { Type: "Choice", Choices: [{ Condition: "{% false %}", Next: "X" }] }, X: { Type: "Succeed" } });
    const r = await run(def);
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.NoChoiceMatched");
  });

  it("Choice: a Condition that is not a boolean fails with States.QueryEvaluationError", async () => {
    const def = machine({ C: { Type: "Choice", Choices: [{ Condition: "{% 'yes' %}", Next: "X" }], Default: "X" }, X: { Type: "Succeed" } });
    const r = await run(def);
    expect(r.error).toBe("States.QueryEvaluationError");
  });

  it("Choice rule: a matching rule's Output and Assign are used", async () => {
    const def = machine({
      C: {
        Type: "Choice",
        Choices: [{ Condition: "{% true %}", Assign: { picked: "rule" }, Output: { from: "rule" }, Next: "Done" }],
        Default: "Done",
        Output: { from: "state" },
      },
      Done: { Type: "Pass", Output: { input: "{% $states.input %}", picked: "{% $picked %}" }, End: true },
    });
    expect((await run(def)).output).toEqual({ input: { from: "rule" }, picked: "rule" });
  });

  it("Choice: the state-level Assign applies whichever rule matches; the rule's value wins on a shared name", async () => {
    const def = machine({
      C: {
        Type: "Choice",
        Choices: [{ Condition: "{% true %}", Assign: { a: "rule" }, Next: "Done" }],
        Default: "Done",
        Assign: { a: "state", b: "state" },
      },
      Done: { Type: "Pass", Output: { a: "{% $a %}", b: "{% $b %}" }, End: true },
    });
    expect((await run(def)).output).toEqual({ a: "rule", b: "state" });
  });

  it("Choice: with Default taken, the state-level Output and Assign are used", async () => {
    const def = machine({
      C: { Type: "Choice", Choices: [{ Condition: "{% false %}", Next: "Done" }], Default: "Done", Output: "default", Assign: { d: 1 } },
      Done: { Type: "Pass", Output: ["{% $states.input %}", "{% $d %}"], End: true },
    });
    expect((await run(def)).output).toEqual(["default", 1]);
  });
});

describe("Wait", () => {
  it("Wait: Seconds waits in virtual time only", async () => {
    const r = await run(machine({ W: { Type: "Wait", Seconds: 86400 * 30, End: true } }), { input: { k: 1 } });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ k: 1 });
    expect(r.stats.virtualSeconds).toBe(86400 * 30);
    expect(eventTypes(r)).toEqual(["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]);
  });

  it("Wait: Seconds may be a JSONata expression", async () => {
    const r = await run(machine({ W: { Type: "Wait", Seconds: "{% $states.input.s * 2 %}", End: true } }), { input: { s: 21 } });
    expect(r.stats.virtualSeconds).toBe(42);
  });

  it("Wait: Timestamp waits until that instant; a past timestamp does not wait", async () => {
    const startTime = new Date("2025-06-01T00:00:00Z");
    const future = await run(machine({ W: { Type: "Wait", Timestamp: "2025-06-01T01:00:00Z", End: true } }), { startTime });
    expect(future.stats.virtualSeconds).toBe(3600);
    const past = await run(machine({ W: { Type: "Wait", Timestamp: "{% '2020-01-01T00:00:00Z' %}", End: true } }), { startTime });
    expect(past.stats.virtualSeconds).toBe(0);
  });

  it("Wait: a negative or non-integer Seconds from JSONata fails with States.QueryEvaluationError", async () => {
    const r = await run(machine({ W: { Type: "Wait", Seconds: "{% -5 %}", End: true } }));
    expect(r.error).toBe("States.QueryEvaluationError");
  });

  it("Wait: Output and Assign apply when the wait ends", async () => {
    const def = machine({
      W: { Type: "Wait", Seconds: 5, Assign: { waited: true }, Output: { entered: "{% $states.context.State.EnteredTime %}" }, Next: "P" },
      P: { Type: "Pass", Output: { waited: "{% $waited %}", entered: "{% $states.input.entered %}" }, End: true },
    });
    const r = await run(def, { startTime: new Date("2025-01-01T00:00:00Z") });
    expect(r.output).toEqual({ waited: true, entered: "2025-01-01T00:00:00.000Z" });
  });
});

describe("Succeed and Fail", () => {
  it("Succeed: ends the execution successfully and may carry Output", async () => {
    const r = await run(machine({ S: { Type: "Succeed", Output: { done: "{% $states.input.x %}" } } }), { input: { x: 3 } });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { done: 3 } });
  });

  it("Fail: fails the execution with Error and Cause, both of which may be JSONata", async () => {
    const def = machine({ F: { Type: "Fail", Error: "{% 'Custom.' & $states.input.kind %}", Cause: "{% $string($states.input) %}" } });
    const r = await run(def, { input: { kind: "Bad" } });
    expect(r).toMatchObject({ status: "FAILED", error: "Custom.Bad", cause: '{"kind":"Bad"}' });
    expect(eventTypes(r)).toEqual(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
  });
});

describe("Parallel", () => {
  it("Parallel: every branch gets the same input (Arguments) and the result is in branch order", async () => {
    const def = machine({
      Par: {
        Type: "Parallel",
        Arguments: { n: "{% $states.input.n * 10 %}" },
        Branches: [
          graph({ Slow: { Type: "Wait", Seconds: 10, Next: "A" }, A: { Type: "Pass", Output: "{% $states.input.n + 1 %}", End: true } }),
          graph({ B: { Type: "Pass", Output: "{% $states.input.n + 2 %}", End: true } }),
        ],
        End: true,
      },
    });
    const r = await run(def, { input: { n: 1 } });
    expect(r.output).toEqual([11, 12]);
    expect(r.stats.virtualSeconds).toBe(10);
  });

  it("Parallel: Output reads $states.result", async () => {
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [graph({ A: { Type: "Pass", Output: 1, End: true } }), graph({ B: { Type: "Pass", Output: 2, End: true } })],
        Output: { sum: "{% $sum($states.result) %}" },
        End: true,
      },
    });
    expect((await run(def)).output).toEqual({ sum: 3 });
  });

  it("Parallel: a failing branch fails the state with that branch's error and stops the other branches", async () => {
    const calls: string[] = [];
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [
          graph({ W: { Type: "Wait", Seconds: 100, Next: "Late" }, Late: lambdaTask("late") }),
          graph({ Boom: { Type: "Fail", Error: "Branch.Boom", Cause: "b" } }),
        ],
        End: true,
      },
    });
    const r = await run(def, { lambda: (fn) => calls.push(fn) });
    expect(r).toMatchObject({ status: "FAILED", error: "Branch.Boom", cause: "b" });
    expect(calls).toEqual([]);
    expect(eventTypes(r)).toContain("ParallelStateFailed");
    expect(r.stats.virtualSeconds).toBe(0);
  });

  it("Parallel: Catch on the Parallel state catches a branch's error", async () => {
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [graph({ Boom: { Type: "Fail", Error: "Branch.Boom", Cause: "b" } })],
        Catch: [{ ErrorEquals: ["Branch.Boom"], Next: "Handled" }],
        Next: "Handled",
      },
      Handled: { Type: "Pass", End: true },
    });
    expect((await run(def)).output).toEqual({ Error: "Branch.Boom", Cause: "b" });
  });

  it("States.BranchFailed: not raised for a failed branch; the branch's own error reaches Retry/Catch (AWS behaviour)", async () => {
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [graph({ Boom: { Type: "Fail", Error: "Branch.Boom" } })],
        Catch: [
          { ErrorEquals: ["States.BranchFailed"], Output: "branch-failed", Next: "Done" },
          { ErrorEquals: ["States.ALL"], Output: "{% $states.errorOutput.Error %}", Next: "Done" },
        ],
        End: true,
      },
      Done: { Type: "Pass", End: true },
    });
    expect((await run(def)).output).toBe("Branch.Boom");
  });
});

describe("Map", () => {
  const double = graph({ D: { Type: "Pass", Output: "{% $states.input * 2 %}", End: true } });

  it("Map: runs ItemProcessor per item of Items and returns the outputs in item order", async () => {
    const def = machine({ M: { Type: "Map", Items: "{% $states.input.xs %}", ItemProcessor: double, End: true } });
    expect((await run(def, { input: { xs: [1, 2, 3] } })).output).toEqual([2, 4, 6]);
  });

  it("Map: without Items the state input must be the array", async () => {
    const def = machine({ M: { Type: "Map", ItemProcessor: double, End: true } });
    expect((await run(def, { input: [5] })).output).toEqual([10]);
    const notArray = await run(def, { input: { a: 1 } });
    expect(notArray.error).toBe("States.QueryEvaluationError");
  });

  it("Map: Items may be a literal array", async () => {
    const def = machine({ M: { Type: "Map", Items: [1, 2], ItemProcessor: double, End: true } });
    expect((await run(def)).output).toEqual([2, 4]);
  });

  it("Map: ItemSelector builds each input from $states.context.Map.Item.Index and Value", async () => {
    const def = machine({
      M: {
        Type: "Map",
        Items: ["a", "b"],
        ItemSelector: { i: "{% $states.context.Map.Item.Index %}", v: "{% $states.context.Map.Item.Value %}", from: "{% $states.input.tag %}" },
        ItemProcessor: graph({ P: { Type: "Pass", End: true } }),
        End: true,
      },
    });
    expect((await run(def, { input: { tag: "t" } })).output).toEqual([
      { i: 0, v: "a", from: "t" },
      { i: 1, v: "b", from: "t" },
    ]);
  });

  it("Map: MaxConcurrency 1 runs iterations one after another", async () => {
    const def = (max: number) =>
      machine({ M: { Type: "Map", Items: [1, 2, 3], MaxConcurrency: max, ItemProcessor: graph({ W: { Type: "Wait", Seconds: 10, End: true } }), End: true } });
    expect((await run(def(1))).stats.virtualSeconds).toBe(30);
    expect((await run(def(0))).stats.virtualSeconds).toBe(10);
    expect((await run(def(2))).stats.virtualSeconds).toBe(20);
  });

  it("Map: MaxConcurrency may be JSONata", async () => {
    const def = machine({
      M: { Type: "Map", Items: [1, 2], MaxConcurrency: "{% 1 %}", ItemProcessor: graph({ W: { Type: "Wait", Seconds: 5, End: true } }), End: true },
    });
    expect((await run(def)).stats.virtualSeconds).toBe(10);
  });

  it("Map: one failed iteration fails the state with its error when no failure is tolerated", async () => {
    const def = machine({
      M: { Type: "Map", Items: [1, 2], ItemProcessor: graph({ F: { Type: "Fail", Error: "Item.Bad" } }), End: true },
    });
    const r = await run(def);
    expect(r.error).toBe("Item.Bad");
    expect(eventTypes(r)).toEqual(expect.arrayContaining(["MapIterationFailed", "MapStateFailed"]));
  });

  const flaky = (extra: Record<string, unknown>) =>
    machine({
      M: {
        Type: "Map",
        Items: [1, 2, 3, 4],
        ItemProcessor: graph({
          C: { Type: "Choice", Choices: [{ Condition: "{% $states.input <= $states.input % 2 * 10 %}", Next: "Bad" }], Default: "Ok" },
          Bad: { Type: "Fail", Error: "Odd", Cause: "odd item" },
          Ok: { Type: "Pass", End: true },
        }),
        End: true,
        ...extra,
      },
    });

  it("ToleratedFailureCount: failures up to the count are tolerated and hold the error object", async () => {
    const r = await run(flaky({ ToleratedFailureCount: 2 }));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual([{ Error: "Odd", Cause: "odd item" }, 2, { Error: "Odd", Cause: "odd item" }, 4]);
  });

  it("ToleratedFailureCount: exceeding it fails with States.ExceedToleratedFailureThreshold", async () => {
    const r = await run(flaky({ ToleratedFailureCount: 1 }));
    expect(r.error).toBe("States.ExceedToleratedFailureThreshold");
  });

  it("ToleratedFailurePercentage: the state fails only when the failed share exceeds the percentage", async () => {
    expect((await run(flaky({ ToleratedFailurePercentage: 50 }))).status).toBe("SUCCEEDED");
    expect((await run(flaky({ ToleratedFailurePercentage: 49 }))).error).toBe("States.ExceedToleratedFailureThreshold");
    expect((await run(flaky({ ToleratedFailurePercentage: "{% 25 %}" }))).error).toBe("States.ExceedToleratedFailureThreshold");
  });

  it("Map: history has MapStateStarted with the length and one MapIterationStarted/Succeeded per item", async () => {
    const def = machine({ M: { Type: "Map", Items: [1, 2], ItemProcessor: double, End: true } });
    const r = await run(def);
    const started = r.history.find((e) => e.type === "MapStateStarted");
    expect(started?.mapStateStartedEventDetails).toEqual({ length: 2 });
    const iterations = r.history.filter((e) => e.type === "MapIterationStarted").map((e) => e.mapIterationStartedEventDetails);
    expect(iterations).toEqual([{ name: "M", index: 0 }, { name: "M", index: 1 }]);
    expect(eventTypes(r).filter((t) => t === "MapIterationSucceeded")).toHaveLength(2);
  });
});
