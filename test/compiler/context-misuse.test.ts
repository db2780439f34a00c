import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { closeOracle, runOnSdk } from "../../harness/index.ts";

/**
 * The SDK's context usage errors beyond D2S2017 (outer-context.test.ts): an operation on a context
 * other than the innermost one, inside a step body or a waitForCondition check (the SDK's own
 * examples context-validation/parent-context-in-step and parent-context-in-wait-condition), or on
 * a child context kept after its function returned, or given to a helper called inside a map
 * function (the helper is inlined there, its operations checked like the function's own). Each is refused at build time, and each fails
 * under the SDK's LocalDurableTestRunner.
 */
const bad = (name: string) => path.join(import.meta.dirname, "../fixtures/bad", name);
const cases = [
  { file: "outer-context-in-step.ts", code: "D2S2001", operation: "step" },
  { file: "outer-context-in-condition.ts", code: "D2S2001", operation: "step" },
  { file: "child-context-kept.ts", code: "D2S2011", operation: "step" },
  { file: "outer-context-through-helper.ts", code: "D2S2017", operation: "step" },
];

afterAll(() => closeOracle());

describe("context misuse", () => {
  it.each(cases)("$file: refused with $code, and the SDK fails it", async ({ file, code, operation }) => {
    const { handlers, diagnostics } = compileFile(bad(file));
    expect(handlers).toEqual([]);
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([code]);
    const sdk = await runOnSdk(bad(file), { event: { n: 1 } });
    expect(sdk.status).toBe("FAILED");
    expect(sdk.error?.errorMessage).toContain(`Context usage error in "${operation}"`);
  });
});
