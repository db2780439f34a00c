import { describe, expect, it } from "vitest";
import { compareTraces, formatDiff } from "../../harness/compare/index.ts";
import type { Trace } from "../../harness/compare/index.ts";

const sdk: Trace = {
  status: "FAILED",
  error: { errorType: "StepError", errorMessage: "boom" },
  operations: [
    { kind: "step", name: "a", status: "SUCCEEDED", attempts: 1 },
    {
      kind: "parallel",
      name: "p",
      status: "SUCCEEDED",
      children: [{ kind: "childContext", name: "left", status: "SUCCEEDED", children: [{ kind: "wait", name: null, status: "SUCCEEDED", waitSeconds: 5 }] }],
    },
    { kind: "step", name: "b", status: "FAILED", attempts: 3 },
  ],
};

describe("formatDiff", () => {
  it("prints both sides and says when the traces are equal", () => {
    const text = formatDiff(sdk, sdk, []);
    expect(text).toBe(
      [
        "              SDK                           | compiled",
        "  status      FAILED                        | FAILED",
        "  result      -                             | -",
        "  error       StepError: boom               | StepError: boom",
        "  operations                                |",
        "    1         step \"a\" SUCCEEDED attempts=1 | step \"a\" SUCCEEDED attempts=1",
        "    2         parallel \"p\" SUCCEEDED        | parallel \"p\" SUCCEEDED",
        "      1       childContext \"left\" SUCCEEDED | childContext \"left\" SUCCEEDED",
        "        1     wait (unnamed) SUCCEEDED 5s   | wait (unnamed) SUCCEEDED 5s",
        "    3         step \"b\" FAILED attempts=3    | step \"b\" FAILED attempts=3",
        "traces are equal",
      ].join("\n"),
    );
  });

  it("marks the differing rows and points at the first", () => {
    const compiled = structuredClone(sdk);
    compiled.operations[1]!.children![0]!.children![0]!.waitSeconds = 6;
    compiled.operations[2]!.attempts = 2;
    compiled.error!.errorMessage = "bang";
    const { differences } = compareTraces(sdk, compiled);
    const lines = formatDiff(sdk, compiled, differences).split("\n");
    const marked = lines.filter((l) => l.startsWith("!"));
    expect(marked).toEqual([
      "! error       StepError: boom               | StepError: bang  <- first difference",
      "!       1     wait (unnamed) SUCCEEDED 5s   | wait (unnamed) SUCCEEDED 6s",
      "!   3         step \"b\" FAILED attempts=3    | step \"b\" FAILED attempts=2",
    ]);
    expect(lines.at(-1)).toBe("3 difference(s)");
  });

  it("shows a missing operation as -", () => {
    const compiled = structuredClone(sdk);
    compiled.operations.pop();
    const text = formatDiff(sdk, compiled, compareTraces(sdk, compiled).differences);
    expect(text).toContain("!   3         step \"b\" FAILED attempts=3    | -  <- first difference");
  });
});
