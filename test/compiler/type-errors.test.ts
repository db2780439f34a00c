import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";

// A scratch project inside the repository (.tmp is ignored), so that the SDK resolves from node_modules.
const scratch = path.join(import.meta.dirname, "../../.tmp");
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(path.join(scratch, "type-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a TypeScript error in the handler (D2S1003)", () => {
  it("gives the whole chain of the message, as tsc prints it, not only its first line", () => {
    // A step function that returns a plain value where the SDK's types ask for a promise.
    const file = path.join(dir, "sync-step.ts");
    writeFileSync(
      file,
      `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: unknown, context) => {
  const message = await context.step("step-1", () => {
    return "hello";
  });
  return message;
});
`,
    );
    const result = compileFile(file);
    expect(result.handlers).toEqual([]);
    const [first] = result.diagnostics;
    expect(first).toMatchObject({ code: "D2S1003", line: 3, column: 33 });
    expect(first!.message).toMatch(/^TS2769: No overload matches this call\.\n/);
    expect(first!.message).toContain("Type 'string' is not assignable to type 'Promise<unknown>'.");
  });
});
