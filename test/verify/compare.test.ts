import { describe, expect, it } from "vitest";
import { compareTraces } from "../../harness/compare/index.ts";
import type { Trace } from "../../harness/compare/index.ts";

const base: Trace = {
  status: "SUCCEEDED",
  result: { a: 1, b: [1, 2] },
  operations: [
    { kind: "step", name: "one", status: "SUCCEEDED", attempts: 1 },
    { kind: "wait", name: null, status: "SUCCEEDED", waitSeconds: 60 },
    {
      kind: "map",
      name: "m",
      status: "SUCCEEDED",
      children: [{ kind: "childContext", name: "map-item-0", status: "SUCCEEDED", children: [] }],
    },
  ],
};

const copy = (): Trace => structuredClone(base);

describe("compareTraces", () => {
  it("finds equal traces equal, whatever the key order", () => {
    const reordered: Trace = {
      operations: copy().operations,
      result: { b: [1, 2], a: 1 },
      status: "SUCCEEDED",
    };
    expect(compareTraces(base, reordered)).toEqual({ equal: true, differences: [] });
  });

  it("treats undefined members as missing, as JSON does", () => {
    const withUndefined = { ...copy(), error: undefined };
    withUndefined.operations[0] = { ...withUndefined.operations[0]!, waitSeconds: undefined };
    expect(compareTraces(base, withUndefined).equal).toBe(true);
    expect(compareTraces({ ...base, result: undefined }, { ...base, result: undefined }).equal).toBe(true);
  });

  it("reports status, result and error differences", () => {
    const failed: Trace = {
      status: "FAILED",
      error: { errorType: "StepError", errorMessage: "boom" },
      operations: copy().operations,
    };
    expect(compareTraces(base, failed).differences).toEqual([
      { path: "status", expected: "SUCCEEDED", actual: "FAILED" },
      { path: "result", expected: { a: 1, b: [1, 2] }, actual: undefined },
      { path: "error.errorType", expected: undefined, actual: "StepError" },
      { path: "error.errorMessage", expected: undefined, actual: "boom" },
    ]);
  });

  it("an unnamed uncaught throw (SDK errorType \"\") equals the compiled \"Error\", and nothing else does", () => {
    const failed = (errorType: string, errorMessage = "Unknown error"): Trace => ({ status: "FAILED", error: { errorType, errorMessage }, operations: [] });
    expect(compareTraces(failed(""), failed("Error")).equal).toBe(true);
    expect(compareTraces(failed(""), failed("Error", "other")).differences).toEqual([{ path: "error.errorMessage", expected: "Unknown error", actual: "other" }]);
    expect(compareTraces(failed(""), failed("TypeError")).differences).toEqual([{ path: "error.errorType", expected: "", actual: "TypeError" }]);
    expect(compareTraces(failed("Error"), failed("")).differences).toEqual([{ path: "error.errorType", expected: "Error", actual: "" }]);
  });

  it("compares result values deeply", () => {
    const other = copy();
    other.result = { a: 1, b: [2, 1] };
    expect(compareTraces(base, other).differences).toEqual([
      { path: "result", expected: { a: 1, b: [1, 2] }, actual: { a: 1, b: [2, 1] } },
    ]);
  });

  it("reports operation fields, nested children and missing operations by path", () => {
    const other = copy();
    other.operations[0]!.attempts = 3;
    other.operations[1]!.waitSeconds = 30;
    other.operations[2]!.children![0]!.name = "item";
    other.operations.push({ kind: "step", name: "extra", status: "FAILED", attempts: 1 });
    expect(compareTraces(base, other).differences).toEqual([
      { path: "operations[0].attempts", expected: 1, actual: 3 },
      { path: "operations[1].waitSeconds", expected: 60, actual: 30 },
      { path: "operations[2].children[0].name", expected: "map-item-0", actual: "item" },
      { path: "operations[3]", expected: undefined, actual: { kind: "step", name: "extra", status: "FAILED", attempts: 1 } },
    ]);
  });

  it("distinguishes a null name from a missing operation name field", () => {
    const other = copy();
    other.operations[1]!.name = "named";
    expect(compareTraces(base, other).differences).toEqual([
      { path: "operations[1].name", expected: null, actual: "named" },
    ]);
  });
});
