import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";

// A scratch project inside the repository (.tmp is ignored), so that the SDK resolves from node_modules.
const scratch = path.join(import.meta.dirname, "../../.tmp");
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(path.join(scratch, "type-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a handler file into the scratch project and compiles it. */
function compileSource(name: string, source: string) {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return { file, result: compileFile(file) };
}

describe("a TypeScript error in the handler (D2S1003)", () => {
  it("gives the whole chain of the message, as tsc prints it, not only its first line", () => {
    // A step given a number where the SDK's types ask for a function: no overload matches.
    const { result } = compileSource("bad-step.ts", `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: unknown, context) => {
  await context.step("pause", 5);
  return "done";
});
`);
    expect(result.handlers).toEqual([]);
    const [first] = result.diagnostics;
    expect(first).toMatchObject({ code: "D2S1003", line: 3 });
    expect(first!.message).toMatch(/^TS2769: No overload matches this call\.\n/);
    expect(first!.message).toContain("Overload 2 of 2");
  });

  it("compiles step functions written without async, which the SDK awaits (the docs' quickstart)", () => {
    const source = `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: unknown, context) => {
  const message = await context.step("step-1", (stepCtx) => {
    stepCtx.logger.info("in step-1");
    return "hello";
  });
  const n = await context.step(function () { return 2; });
  return { message, n };
});
`;
    const { file, result } = compileSource("sync-step.ts", source);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.handlers.map((h) => h.name)).toEqual(["handler"]);
    expect(readFileSync(file, "utf8")).toBe(source);
  });

  it("still refuses a step function whose body has a type error of its own", () => {
    const { result } = compileSource("sync-step-bad-body.ts", `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: unknown, context) => {
  return context.step("step-1", () => {
    const n: number = "x";
    return n;
  });
});
`);
    expect(result.handlers).toEqual([]);
    expect(result.diagnostics.map((d) => d.message.split(":")[0])).toContain("TS2322");
  });
});
