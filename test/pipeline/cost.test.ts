import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["cli/bin.mjs", ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const saga = "samples/order-saga";
// Each case starts the CLI, which compiles the handler: slow on a loaded machine.
const SLOW = 300_000;
const approval = "samples/approval";

describe("durable2sfn cost", () => {
  it("prices each scenario from the run's own counts: the transitions and invocations run --json reports", () => {
    const scenario = `${saga}/scenarios/happy-path.json`;
    const run = JSON.parse(cli("run", `${saga}/handler.ts`, "--scenario", scenario, "--json").stdout);
    const r = cli("cost", `${saga}/handler.ts`, "--scenario", scenario, "--json");
    expect(r.code).toBe(0);
    const { prices, scenarios } = JSON.parse(r.stdout);
    const [row] = scenarios;
    expect(row.scenario).toBe("happy-path");
    expect(row.transitions).toBe(run.stats.stateTransitions);
    expect(row.invocations.steps + row.invocations.glue).toBe(run.stats.lambdaInvocations);
    // The saga's four steps each ran once, and no callback: Express may run it.
    expect(row.invocations.steps).toBe(4);
    expect(row.expressBlocker).toBeNull();
    const lambda = prices.lambdaPerRequest + prices.lambdaGbSecondsPerInvocation * prices.lambdaPerGbSecond;
    expect(row.perMillion.standard).toBeCloseTo(1e6 * (row.transitions * prices.standardPerTransition + run.stats.lambdaInvocations * lambda), 6);
    expect(row.durable.operations).toBe(4);
  }, SLOW);

  it("a machine that waits for a task token is not priced on Express, and --prices overrides a price", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "d2s-cost-"));
    const prices = path.join(dir, "prices.json");
    writeFileSync(prices, JSON.stringify({ standardPerTransition: 0, lambdaPerRequest: 0, lambdaPerGbSecond: 0 }));
    const r = cli("cost", `${approval}/handler.ts`, "--scenario", `${approval}/scenarios/approved.json`, "--prices", prices, "--json");
    expect(r.code).toBe(0);
    const [row] = JSON.parse(r.stdout).scenarios;
    expect(row.expressBlocker).toMatch(/task token/);
    expect(row.perMillion.express).toBeNull();
    expect(row.perMillion.standard).toBe(0);
  }, SLOW);

  it("a bad prices file is one line and exit 2; so is an unknown flag", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "d2s-cost-"));
    const prices = path.join(dir, "prices.json");
    writeFileSync(prices, JSON.stringify({ perTransition: 1 }));
    const r = cli("cost", `${saga}/handler.ts`, "--prices", prices);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown price "perTransition"/);
    writeFileSync(prices, JSON.stringify({ standardPerTransition: -1 }));
    expect(cli("cost", `${saga}/handler.ts`, "--prices", prices).code).toBe(2);
    expect(cli("cost", `${saga}/handler.ts`, "--bogus").code).toBe(2);
  }, SLOW);

  it("--no-optimize prices the plain mapping: more transitions, the same steps", () => {
    const scenario = `${saga}/scenarios/ship-fails.json`;
    const [folded] = JSON.parse(cli("cost", `${saga}/handler.ts`, "--scenario", scenario, "--json").stdout).scenarios;
    const [plain] = JSON.parse(cli("cost", `${saga}/handler.ts`, "--scenario", scenario, "--json", "--no-optimize").stdout).scenarios;
    expect(plain.transitions).toBeGreaterThan(folded.transitions);
    expect(plain.invocations.steps).toBe(folded.invocations.steps);
    expect(plain.status).toBe(folded.status);
  }, SLOW);
});
