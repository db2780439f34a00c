import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeOracle, verifyScenario } from "../../harness/verify.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";

/**
 * Every fixture handler under test/fixtures/compiler runs, for each of its scenarios
 * (`<name>.scenarios.json`), under the SDK's LocalDurableTestRunner and compiled on the emulator;
 * status, result or error, and the durable operations must be the same.
 */
const dir = path.join(import.meta.dirname, "../fixtures/compiler");
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();

afterAll(() => closeOracle());

describe.each(fixtures)("%s behaves as under the SDK", (fixture) => {
  const file = path.join(dir, fixture);
  const scenarios = JSON.parse(readFileSync(file.replace(/\.ts$/, ".scenarios.json"), "utf8")) as Scenario[];
  it.each(scenarios.map((s, i) => [i, JSON.stringify(s.event), s] as const))("scenario %i %s", async (_i, _label, scenario) => {
    const v = await verifyScenario(file, scenario, { keepOracle: process.env.KEEP === "1" });
    // verify's own comparison decides (docs/verify.md: it accepts the README's representation
    // differences); the deep equality only shows the traces when they differ.
    if (!v.equal) expect(v.compiled).toEqual(v.sdk);
    expect(v.equal).toBe(true);
    expect(["SUCCEEDED", "FAILED"]).toContain(v.sdk.status);
  });
});
