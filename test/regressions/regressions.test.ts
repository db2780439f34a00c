import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeOracle, verifyScenario } from "../../harness/verify.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";

/**
 * Every handler under test/regressions (most of them shrunk by the fuzzer, test/fuzz) runs for
 * each of its scenarios (`<name>.scenarios.json`) under the SDK's LocalDurableTestRunner and
 * compiled on the emulator; the traces must be equal (docs/verify.md, "Regression workflow").
 */

/**
 * Regression files whose divergence is not fixed yet: their tests are `it.fails` (they pass while
 * the compiled machine still differs). When a fix lands, the test fails: remove the entry.
 */
const KNOWN_FAILING: Record<string, string> = {};

const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .sort();

afterAll(() => closeOracle());

describe.each(files)("regression %s", (file) => {
  const handler = path.join(dir, file);
  const name = file.replace(/\.ts$/, "");
  const scenarios = JSON.parse(readFileSync(path.join(dir, `${name}.scenarios.json`), "utf8")) as Scenario[];
  const bug = KNOWN_FAILING[name];
  const test = bug ? it.fails : it;
  // A known failure lists only scenarios that still diverge: each one is expected to fail.
  test.each(scenarios.map((s, i) => [i, s] as const))(`scenario %i${bug ? ` (known: ${bug})` : ""}`, async (_i, scenario) => {
    const v = await verifyScenario(handler, scenario, { keepOracle: true });
    expect(v.compiled, v.diff).toEqual(v.sdk);
  });
});

it("every regression handler has a scenarios file and every known failure a handler", () => {
  for (const file of files) expect(readdirSync(dir)).toContain(file.replace(/\.ts$/, ".scenarios.json"));
  for (const name of Object.keys(KNOWN_FAILING)) expect(files).toContain(`${name}.ts`);
});
