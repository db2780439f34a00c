import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { closeOracle, runOnSdk } from "../../harness/index.ts";

/**
 * D2S2017 is deserved: the SDK itself fails an operation called on an enclosing function's
 * context inside a child context or a map function, so no faithful machine exists. Each case is
 * refused by the compiler and fails under the SDK's LocalDurableTestRunner.
 */
const bad = (name: string) => path.join(import.meta.dirname, "../fixtures/bad", name);
const cases = [
  { file: "outer-context-in-child.ts", event: { id: " a " }, operation: "step" },
  { file: "outer-context-in-map.ts", event: { ids: ["a", "bb"] }, operation: "wait" },
];

afterAll(() => closeOracle());

describe("operations on an enclosing function's context", () => {
  it.each(cases)("$file: refused with D2S2017, and the SDK fails it", async ({ file, event, operation }) => {
    const { handlers, diagnostics } = compileFile(bad(file));
    expect(handlers).toEqual([]);
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["D2S2017"]);
    const sdk = await runOnSdk(bad(file), { event });
    expect(sdk.status).toBe("FAILED");
    expect(sdk.error?.errorMessage).toContain(`Context usage error in "${operation}"`);
  });
});
