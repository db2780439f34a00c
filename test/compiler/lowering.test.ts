import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile, type CompiledHandler } from "../../compiler/index.ts";
import { runCompiled } from "../../harness/run.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";

/**
 * Code between operations runs as JSONata where that is exact (issue 15): on well-typed input
 * the lower-* fixtures invoke no glue-code fragment (only the steps and callbacks themselves),
 * and an ill-typed input reaches the guard's fallback, a fragment. That both paths give the
 * SDK's outcome is the equivalence suite's job (equivalence-*.test.ts run the same fixtures).
 */
const dir = path.join(import.meta.dirname, "../fixtures/compiler");
const GLUE = /^(Code|Evaluate|Compute-result)-line-\d+(-\d+)?$/;

function compile(name: string): { handler: CompiledHandler; scenarios: Scenario[] } {
  const file = path.join(dir, `${name}.ts`);
  const { handlers, diagnostics } = compileFile(file);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { handler: handlers[0]!, scenarios: JSON.parse(readFileSync(file.replace(/\.ts$/, ".scenarios.json"), "utf8")) };
}

/** The glue fragments a run invoked, by the fragment each Lambda call named. */
async function glueRun(handler: CompiledHandler, scenario: Scenario): Promise<string[]> {
  const { result } = await runCompiled(handler, scenario);
  return result.history.flatMap((e) => {
    const details = (e as { taskScheduledEventDetails?: { parameters?: string } }).taskScheduledEventDetails;
    const fragment = details?.parameters ? (JSON.parse(details.parameters) as { Payload?: { fragment?: string } }).Payload?.fragment : undefined;
    return fragment && GLUE.test(fragment) ? [fragment] : [];
  });
}

// [fixture, index of a well-typed scenario, index of an ill-typed one]
const CASES: [string, number, number][] = [
  ["lower-switch", 0, 6],
  ["lower-arrays", 1, 7],
  ["lower-collections", 1, 8],
  ["lower-caught-errors", 1, 4],
  ["lower-rethrow", 5, 3],
  ["lower-wait-seconds", 0, 3],
  ["lower-array-methods", 0, 3],
  ["lower-inline-calls", 0, 3],
  ["cost-approval-parse", 0, 3],
];

describe.each(CASES)("%s", (name, wellTyped, illTyped) => {
  it("runs no glue fragment on well-typed input, and the fallback fragment on ill-typed input", async () => {
    const { handler, scenarios } = compile(name);
    expect(await glueRun(handler, scenarios[wellTyped]!)).toEqual([]);
    expect((await glueRun(handler, scenarios[illTyped]!)).length).toBeGreaterThan(0);
  }, 60_000);
});

it("reads a const callback answer with no guard: no glue fragment for any answer, the empty one included", async () => {
  const { handler, scenarios } = compile("cost-approval-answer");
  for (const scenario of scenarios) expect(await glueRun(handler, scenario)).toEqual([]);
}, 120_000);
