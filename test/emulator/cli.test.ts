import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const FIXTURES = "test/fixtures/asl";

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["cli/bin.mjs", "run", ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("durable2sfn run <machine.asl.json>", () => {
  it("--json prints exactly one JSON object with status, result and stats; exit 0 on success", () => {
    const r = cli(`${FIXTURES}/greet.asl.json`, "--input", '{"name":"Ada"}', "--json");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      status: "SUCCEEDED",
      result: { greeting: "hello Ada" },
      stats: { stateTransitions: 1, lambdaInvocations: 0, historyEvents: 4, virtualSeconds: 0 },
    });
  });

  it("a failed execution exits 1 and maps Error/Cause to errorType/errorMessage", () => {
    const r = cli(`${FIXTURES}/reject.asl.json`, "--input", '{"amount":900}', "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "FAILED", error: { errorType: "Order.Rejected", errorMessage: "amount too high: 900" } });
  });

  it("without --json the report is for a person", () => {
    const r = cli(`${FIXTURES}/greet.asl.json`, "--input", '{"name":"Ada"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SUCCEEDED");
    expect(r.stdout).toContain('"greeting": "hello Ada"');
  });

  it("an invalid definition exits 1 with the JSON path and message, without a stack trace", () => {
    const r = cli(`${FIXTURES}/invalid-scope.asl.json`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("$.States.Each.ItemProcessor.States.Add.Assign.total");
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it("usage errors exit 2: bad JSON in --input, a missing file, an unknown flag", () => {
    expect(cli(`${FIXTURES}/greet.asl.json`, "--input", "{nope").code).toBe(2);
    const missing = cli(`${FIXTURES}/does-not-exist.asl.json`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    expect(cli(`${FIXTURES}/greet.asl.json`, "--frobnicate").code).toBe(2);
    expect(cli(`${FIXTURES}/greet.asl.json`, "--mock-config", `${FIXTURES}/approval.mock-config.json`).code).toBe(2);
  });

  it("--mock-config with --test-case answers mocked states", () => {
    const r = cli(`${FIXTURES}/approval.asl.json`, "--mock-config", `${FIXTURES}/approval.mock-config.json`, "--test-case", "Approved", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).result).toEqual({ approved: true, by: "mock" });
  });

  it("--scenario answers .waitForTaskToken states by state name; without an answer the timeout fires", () => {
    const answered = cli(`${FIXTURES}/approval.asl.json`, "--scenario", `${FIXTURES}/approval.scenario.json`, "--json");
    expect(answered.code).toBe(0);
    expect(JSON.parse(answered.stdout).result).toEqual({ approved: true, by: "scenario" });
    const unanswered = cli(`${FIXTURES}/approval.asl.json`, "--input", "{}", "--json");
    expect(unanswered.code).toBe(0);
    expect(JSON.parse(unanswered.stdout)).toMatchObject({ result: "timed out", stats: { virtualSeconds: 3600 } });
  });

  it("a .ts handler with --mock-config is a usage error (mock configs are for machines)", () => {
    const r = cli("handler.ts", "--mock-config", "x.json", "--test-case", "t");
    expect(r.code).toBe(2);
  });
});
