import { describe, expect, it } from "vitest";
import { Limits } from "../../runtime/emulator/limits.ts";
import { lambdaTask, machine, run } from "./helpers.ts";

const pass = (Output: unknown) => machine({ P: { Type: "Pass", Output, End: true } });

/** Runs a one-state machine whose Output is `expression` and returns how it failed. */
async function failureOf(expression: string): Promise<{ error?: string; cause?: string }> {
  const r = await run(pass(`{% ${expression} %}`));
  expect(r.status).toBe("FAILED");
  return { error: r.error, cause: r.cause };
}

describe("runaway expressions fail their execution with States.QueryEvaluationError", () => {
  it("infinite recursion (a tail call, which JSONata runs as a loop) is stopped by the time box", async () => {
    const { error, cause } = await failureOf("($f := function($n){ $f($n+1) }; $f(0))");
    expect(error).toBe("States.QueryEvaluationError");
    expect(cause).toContain(`ran longer than ${Limits.expressionMilliseconds} ms`);
  });

  it("a long loop is stopped by the time box", async () => {
    const { error, cause } = await failureOf("$sum($map([1..1000000], function($x){ $sum($map([1..1000], function($y){ $y * $x })) }))");
    expect(error).toBe("States.QueryEvaluationError");
    expect(cause).toContain("ran longer than");
  });

  it("recursion that nests without end is stopped by the depth box", async () => {
    const { error, cause } = await failureOf("($f := function($n){ 1 + $f($n+1) }; $f(0))");
    expect(error).toBe("States.QueryEvaluationError");
    expect(cause).toContain(`nested more than ${Limits.expressionFunctionDepth} deep`);
  });

  it("a value nested too deeply to be JSON fails the expression that built it", async () => {
    const { error, cause } = await failureOf(`$reduce([1..100000], function($acc, $x){ {"a": $acc} }, {})`);
    expect(error).toBe("States.QueryEvaluationError");
    expect(cause).toContain("cannot be turned into JSON");
  });

  it("a big range, with `..` or with $range, is refused", async () => {
    const operator = await failureOf(`[1..${Limits.expressionArrayItems * 10}] ~> $count()`);
    expect(operator.error).toBe("States.QueryEvaluationError");
    expect(operator.cause).toContain(`more than the ${Limits.expressionArrayItems} an expression may build`);
    const fn = await failureOf(`$count($range(1, ${Limits.expressionArrayItems * 100}))`);
    expect(fn.error).toBe("States.QueryEvaluationError");
    expect(fn.cause).toContain("$range:");
  });

  it("a huge string, from $pad or from $join, is refused", async () => {
    const padded = await failureOf(`$length($pad("", ${Limits.expressionStringLength * 12}))`);
    expect(padded.error).toBe("States.QueryEvaluationError");
    expect(padded.cause).toContain("$pad: a width of");
    const piece = "x".repeat(64);
    const joined = await failureOf(`$length($join($map([1..${Limits.expressionStringLength / piece.length + 1}], function($x){ "${piece}" })))`);
    expect(joined.error).toBe("States.QueryEvaluationError");
    expect(joined.cause).toContain(`more than the ${Limits.expressionStringLength} an expression may build`);
  });

  it("a normal heavy-ish expression still works", async () => {
    const n = 100_000;
    const r = await run(pass(`{% $sum([1..${n}]) %}`));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toBe((n * (n + 1)) / 2);
    const padded = await run(pass(`{% [$pad("ab", 5, "-"), $pad("ab", -4)] %}`));
    expect(padded.output).toEqual(["ab---", "  ab"]);
  });

  it("a long evaluation gives the event loop turns: a timer fires before it ends", async () => {
    let fired = false;
    setTimeout(() => (fired = true), 1);
    const r = await run(pass("{% ($f := function($n){ $f($n+1) }; $f(0)) %}"));
    expect(r.error).toBe("States.QueryEvaluationError");
    expect(fired).toBe(true);
  });
});

describe("results that cannot be JSON", () => {
  it("a Lambda result with a cycle fails the task as Lambda's runtime does", async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const r = await run(machine({ T: lambdaTask("f") }), { lambda: () => cyclic });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("Runtime.JSONStringifyError");
    expect(JSON.parse(r.cause!)).toMatchObject({ errorType: "Runtime.JSONStringifyError", errorMessage: "Unable to stringify response body" });
  });

  it("a handler result with a cycle fails with States.Runtime naming the resource", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const resource = "arn:aws:states:::dynamodb:getItem";
    const r = await run(machine({ T: { Type: "Task", Resource: resource, End: true } }), { handlers: { [resource]: () => cyclic } });
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toContain(resource);
  });

  it("an input nested 10,000 deep fails the execution with a clean cause", async () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const r = await run(machine({ P: { Type: "Pass", End: true } }), { input: deep });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toContain("The execution input cannot be turned into JSON");
    expect(r.cause).not.toMatch(/^\s+at /m);
  });

  it("a lambda Task still gets plain JSON: undefined fields dropped, as over the wire", async () => {
    const r = await run(machine({ T: lambdaTask("f") }), { lambda: () => ({ kept: 1, dropped: undefined }) });
    expect(r.output).toStrictEqual({ kept: 1 });
  });
});
