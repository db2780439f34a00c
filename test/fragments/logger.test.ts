import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { runCompiled } from "../../harness/run.ts";
import type { Scenario } from "../../runtime/emulator/index.ts";

/**
 * The context's logger in the fragments function writes the SDK's default log lines: one JSON
 * object per call, with the request id, the execution ARN and, inside a step, a check or a
 * submitter, the operation's id, name and attempt. A local run sends them to stderr.
 */
const fixture = path.join(import.meta.dirname, "../fixtures/compiler/logger-anywhere.ts");
const scenario: Scenario = { event: { id: "o-1", items: [1, 2], failStep: true }, callbacks: { approve: [{ success: "yes" }] } };

type Line = Record<string, unknown> & { level: string; message: string };

async function linesOfRun(): Promise<{ lines: Line[]; stdout: string; executionArn: string }> {
  const [handler] = compileFile(fixture).handlers;
  const written: string[] = [];
  let stdout = "";
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => (written.push(String(chunk)), true));
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => ((stdout += String(chunk)), true));
  let run;
  try {
    run = await runCompiled(handler, scenario);
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
  const started = run.result.history.find((e) => e.type === "ExecutionStarted")!;
  const arn = (started.executionStartedEventDetails as { stateMachineArn: string }).stateMachineArn.replace(":stateMachine:", ":execution:");
  const lines = written.join("").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Line);
  return { lines, stdout, executionArn: arn };
}

afterEach(() => {
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
});

describe("the fragments' logger", () => {
  it("writes the SDK's fields: request id, execution ARN, and the operation's id, name and attempt inside one", async () => {
    const { lines, stdout, executionArn } = await linesOfRun();
    expect(stdout).toBe("");
    const by = (message: string) => lines.find((l) => l.message === message)!;
    for (const line of lines) {
      expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(line.executionArn).toMatch(new RegExp(`^${executionArn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:`));
      expect(Number.isNaN(Date.parse(line.timestamp as string))).toBe(false);
    }
    // Between operations: no operation fields.
    expect(by("order received { id: 'o-1' }")).toMatchObject({ level: "INFO" });
    expect(by("order received { id: 'o-1' }")).not.toHaveProperty("operationId");
    // In a step body, through the handler's context and the step's own.
    expect(by("summing 2")).toMatchObject({ level: "DEBUG", operationName: "sum", attempt: 1, operationId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(by("attempt 1")).toMatchObject({ operationName: "sum", operationId: by("summing 2").operationId });
    // A check, one line per attempt; a submitter names no operation, as under the SDK.
    expect(by("checking 0")).toMatchObject({ operationName: "ready", attempt: 1 });
    expect(by("checking 1")).toMatchObject({ operationName: "ready", attempt: 2 });
    expect(by("submitted")).toMatchObject({ attempt: 1 });
    expect(by("submitted")).not.toHaveProperty("operationName");
    // An unnamed step in a map function; a catch block logging the error with its fields.
    expect(by("doubling 1")).toMatchObject({ level: "WARN", attempt: 1 });
    const failed = lines.find((l) => l.level === "ERROR")!;
    expect(failed).toMatchObject({ errorType: "StepError", errorMessage: "risky failed" });
    expect(failed.message).toMatch(/^risky failed StepError: risky failed/);
    // `log(level, ...)` writes at that level.
    expect(by("done")).toMatchObject({ level: "INFO" });
  });

  it("leaves out the levels below AWS_LAMBDA_LOG_LEVEL, as the SDK's default logger does", async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = "WARN";
    const { lines } = await linesOfRun();
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.level))).toEqual(new Set(["WARN", "ERROR"]));
  });
});
