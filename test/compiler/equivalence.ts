import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFile, HANDLER_FILE, type CompileResult } from "../../compiler/index.ts";
import { closeOracle, verifyScenario } from "../../harness/verify.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";

/**
 * Every fixture handler under test/fixtures/compiler runs, for each of its scenarios
 * (`<name>.scenarios.json`), under the SDK's LocalDurableTestRunner and compiled on the emulator;
 * status, result or error, and the durable operations must be the same. Fixtures are TypeScript
 * or JavaScript; a scenario of a file with several handlers names its export (`"handler"`), which
 * both sides run.
 *
 * The fixtures are shared out between test files (equivalence-*.test.ts) so that vitest.config.ts
 * can run them side by side, except those the oracle times callbacks out in: it fires a timeout
 * once the run has looked idle for some real milliseconds, which a loaded machine can fake, so
 * they run in the file that runs alone (see `mayTimeOutCallbacks`).
 */
const dir = path.join(import.meta.dirname, "../fixtures/compiler");
const fixtures = readdirSync(dir).filter((f) => HANDLER_FILE.test(f)).sort();

type FixtureScenario = Scenario & { handler?: string };

function scenariosOf(fixture: string): FixtureScenario[] {
  return JSON.parse(readFileSync(path.join(dir, fixture).replace(HANDLER_FILE, ".scenarios.json"), "utf8")) as FixtureScenario[];
}

/**
 * Whether the oracle may time a callback out (a callback the scenario gives no answer times out):
 * the handler mentions callbacks, the scenario answers some, or the handler imports a module of
 * its own, which this check does not read. Errs on the side of "may".
 */
export function mayTimeOutCallbacks(fixture: string): boolean {
  const source = readFileSync(path.join(dir, fixture), "utf8");
  return /callback/i.test(source) || /(from|require\(|import\()\s*["']\./.test(source) || scenariosOf(fixture).some((s) => s.callbacks !== undefined);
}

/** Every fixture handler, each in exactly one share. */
export const allFixtures: readonly string[] = fixtures;

/** The fixtures of one share: those that may time callbacks out, or the `index`-th of `count` of the others. */
export function fixtureShare(share: { timeouts: true } | { index: number; count: number }): string[] {
  if ("timeouts" in share) return fixtures.filter(mayTimeOutCallbacks);
  return fixtures.filter((f) => !mayTimeOutCallbacks(f)).filter((_, i) => i % share.count === share.index);
}

/** The equivalence tests of `share`: one test per scenario, each fixture compiled and bundled once. */
export function describeEquivalence(share: string[]): void {
  afterAll(() => closeOracle());

  describe.each(share)("%s behaves as under the SDK", (fixture) => {
    const file = path.join(dir, fixture);
    const scenarios = scenariosOf(fixture);
    let compiled: CompileResult;
    beforeAll(() => {
      compiled = compileFile(file, {});
    });
    it.each(scenarios.map((s, i) => [i, `${s.handler ? `${s.handler} ` : ""}${JSON.stringify(s.event)}`, s] as const))("scenario %i %s", async (_i, _label, scenario) => {
      const v = await verifyScenario(file, scenario, { keepOracle: process.env.KEEP === "1", handler: scenario.handler, compiled });
      // verify's own comparison decides (docs/verify.md: it accepts the README's representation
      // differences); the deep equality only shows the traces when they differ.
      if (!v.equal) expect(v.compiled).toEqual(v.sdk);
      expect(v.equal).toBe(true);
      expect(["SUCCEEDED", "FAILED"]).toContain(v.sdk.status);
    });
  });
}
