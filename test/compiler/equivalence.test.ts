import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HANDLER_FILE } from "../../compiler/index.ts";
import { closeOracle, verifyScenario } from "../../harness/verify.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";

/**
 * Every fixture handler under test/fixtures/compiler runs, for each of its scenarios
 * (`<name>.scenarios.json`), under the SDK's LocalDurableTestRunner and compiled on the emulator;
 * status, result or error, and the durable operations must be the same. Fixtures are TypeScript
 * or JavaScript; a scenario of a file with several handlers names its export (`"handler"`), which
 * both sides run.
 */
const dir = path.join(import.meta.dirname, "../fixtures/compiler");
const fixtures = readdirSync(dir).filter((f) => HANDLER_FILE.test(f)).sort();

afterAll(() => closeOracle());

describe.each(fixtures)("%s behaves as under the SDK", (fixture) => {
  const file = path.join(dir, fixture);
  const scenarios = JSON.parse(readFileSync(file.replace(HANDLER_FILE, ".scenarios.json"), "utf8")) as (Scenario & { handler?: string })[];
  it.each(scenarios.map((s, i) => [i, `${s.handler ? `${s.handler} ` : ""}${JSON.stringify(s.event)}`, s] as const))("scenario %i %s", async (_i, _label, scenario) => {
    const v = await verifyScenario(file, scenario, { keepOracle: process.env.KEEP === "1", handler: scenario.handler });
    // verify's own comparison decides (docs/verify.md: it accepts the README's representation
    // differences); the deep equality only shows the traces when they differ.
    if (!v.equal) expect(v.compiled).toEqual(v.sdk);
    expect(v.equal).toBe(true);
    expect(["SUCCEEDED", "FAILED"]).toContain(v.sdk.status);
  });
});
