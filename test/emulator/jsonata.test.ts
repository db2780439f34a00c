import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LAMBDA_TOKEN, machine, run } from "./helpers.ts";

const pass = (Output: unknown, extra: Record<string, unknown> = {}) => machine({ P: { Type: "Pass", Output, End: true, ...extra } });

describe("$states", () => {
  it("$states.input is the state's original input", async () => {
    expect((await run(pass("{% $states.input.a %}"), { input: { a: "x" } })).output).toBe("x");
  });

  it("$states.result is the Task result in Output and Assign", async () => {
    const def = machine({
      T: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { FunctionName: "f", Payload: {} },
        Assign: { code: "{% $states.result.StatusCode %}" },
        Output: { payload: "{% $states.result.Payload %}", version: "{% $states.result.ExecutedVersion %}" },
        Next: "P",
      },
      P: { Type: "Pass", Output: { code: "{% $code %}", from: "{% $states.input %}" }, End: true },
    });
    const r = await run(def, { lambda: () => ({ ok: true }) });
    expect(r.output).toEqual({ code: 200, from: { payload: { ok: true }, version: "$LATEST" } });
  });

  it("$states.context has Execution, State and StateMachine fields", async () => {
    const def = pass("{% $states.context %}");
    const r = await run(def, { input: { i: 1 }, executionName: "exec-1", stateMachineName: "sm", startTime: new Date("2025-03-04T05:06:07Z") });
    expect(r.output).toEqual({
      Execution: {
        Id: "arn:aws:states:us-east-1:123456789012:execution:sm:exec-1",
        Input: { i: 1 },
        Name: "exec-1",
        RoleArn: "arn:aws:iam::123456789012:role/service-role/StepFunctions-sm-role",
        StartTime: "2025-03-04T05:06:07.000Z",
        RedriveCount: 0,
      },
      State: { EnteredTime: "2025-03-04T05:06:07.000Z", Name: "P", RetryCount: 0 },
      StateMachine: { Id: "arn:aws:states:us-east-1:123456789012:stateMachine:sm", Name: "sm" },
    });
  });

  it("$states.context.Task.Token exists in .waitForTaskToken tasks", async () => {
    let seen: unknown;
    const def = machine({
      T: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "f", Payload: { token: "{% $states.context.Task.Token %}" } }, End: true },
    });
    const r = await run(def, {
      lambda: (_fn, payload) => {
        seen = (payload as { token: string }).token;
      },
      onTaskToken: (token) => expect(token).toBe(seen),
    });
    expect(typeof seen).toBe("string");
    expect(r.status).toBe("TIMED_OUT");
  });
});

describe("JSONata evaluation", () => {
  it("an expression that yields undefined fails with States.QueryEvaluationError", async () => {
    const r = await run(pass({ x: "{% $states.input.missing %}" }), { input: {} });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.QueryEvaluationError");
    expect(r.cause).toContain("Output.x");
  });

  it("reading a variable that was never assigned fails with States.QueryEvaluationError", async () => {
    const r = await run(pass("{% $exists($never) %}"));
    expect(r.error).toBe("States.QueryEvaluationError");
    expect(r.cause).toContain("$never");
  });

  it("a JSONata runtime error fails with States.QueryEvaluationError", async () => {
    const r = await run(pass("{% 1 + 'a' %}"));
    expect(r.error).toBe("States.QueryEvaluationError");
  });

  it("local JSONata bindings (:=, lambda parameters) are not workflow variables", async () => {
    const r = await run(pass("{% ($double := function($v) { $v * 2 }; $map([1, 2], $double)) %}"));
    expect(r.output).toEqual([2, 4]);
  });

  it("multi-line JSONata is accepted and evaluated", async () => {
    const r = await run(pass("{% (\n  $a := 2;\n  $a * 21\n) %}"));
    expect(r.output).toBe(42);
  });

  it("$eval is not available; $parse parses JSON", async () => {
    expect((await run(pass("{% $parse('{\"a\":[1]}') %}"))).output).toEqual({ a: [1] });
    expect((await run(pass("{% $eval('1') %}"))).error).toBe("States.QueryEvaluationError");
  });
});

describe("Step Functions JSONata functions", () => {
  it("$partition splits an array into chunks; the last may be shorter", async () => {
    expect((await run(pass("{% $partition([1,2,3,4,5], 2) %}"))).output).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("$range counts from start to end inclusive by step, negative steps too", async () => {
    expect((await run(pass("{% $range(0, 10, 2) %}"))).output).toEqual([0, 2, 4, 6, 8, 10]);
    expect((await run(pass("{% $range(3, 1, -1) %}"))).output).toEqual([3, 2, 1]);
  });

  it("$hash digests with MD5, SHA-1, SHA-256, SHA-384 or SHA-512", async () => {
    const r = await run(pass(["{% $hash('abc', 'SHA-256') %}", "{% $hash('abc', 'MD5') %}"]));
    expect(r.output).toEqual([createHash("sha256").update("abc").digest("hex"), createHash("md5").update("abc").digest("hex")]);
    expect((await run(pass("{% $hash('abc', 'CRC32') %}"))).error).toBe("States.QueryEvaluationError");
  });

  it("$random() is in [0, 1) and $random(seed) is the same for the same seed", async () => {
    const r = await run(pass(["{% $random() %}", "{% $random(7) %}", "{% $random(7) %}", "{% $random(8) %}"]));
    const [free, a, b, c] = r.output as number[];
    expect(free).toBeGreaterThanOrEqual(0);
    expect(free).toBeLessThan(1);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("$uuid() returns v4 UUIDs, the same ones for the same run seed", async () => {
    const def = pass(["{% $uuid() %}", "{% $uuid() %}"]);
    const first = (await run(def, { seed: 1 })).output as string[];
    const again = (await run(def, { seed: 1 })).output as string[];
    const other = (await run(def, { seed: 2 })).output as string[];
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first[0]).not.toBe(first[1]);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("$now() and $millis() read the virtual clock", async () => {
    const def = machine({ W: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", Output: ["{% $now() %}", "{% $millis() %}"], End: true } });
    const r = await run(def, { startTime: new Date("2025-01-01T00:00:00Z") });
    expect(r.output).toEqual(["2025-01-01T00:01:00.000Z", Date.parse("2025-01-01T00:01:00Z")]);
  });
});
