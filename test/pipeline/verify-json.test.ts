import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./cli.ts";

/**
 * `verify --json` prints one JSON object on stdout and nothing else: what the handler logs, on
 * either side (the SDK's default logger and the fragments' write to stdout), goes to stderr.
 */
describe("verify --json", () => {
  it("keeps stdout for its object while the handler logs on both sides", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "durable2sfn-verify-json-"));
    const scenario = path.join(dir, "scenario.json");
    writeFileSync(scenario, JSON.stringify({ event: { id: "o-7", items: [4] }, callbacks: { approve: [{ success: "ok" }] } }));
    const r = cli(["verify", "test/fixtures/compiler/logger-anywhere.ts", "--scenario", scenario, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { equal: boolean };
    expect(report.equal).toBe(true);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    // Both sides logged, on stderr: the SDK's line names the durable execution, the compiled one the Step Functions execution.
    const lines = r.stderr.split("\n").filter((l) => l.includes('"message":"order received'));
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.includes('"executionArn":"arn:aws:states:'))).toBe(true);
  });
});
