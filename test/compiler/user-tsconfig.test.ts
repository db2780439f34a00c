import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";

// A scratch project inside the repository (.tmp is ignored), so that the SDK resolves from node_modules.
const scratch = path.join(import.meta.dirname, "../../.tmp");
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(path.join(scratch, "tsconfig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HANDLER = `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  const doubled = await context.step("double", async () => event.n * 2);
  return { doubled };
});
`;

function project(name: string, compilerOptions: Record<string, unknown>): string {
  const root = path.join(dir, name);
  mkdirSync(root);
  writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify({ compilerOptions }));
  writeFileSync(path.join(root, "handler.ts"), HANDLER);
  return path.join(root, "handler.ts");
}

describe("the user's tsconfig.json", () => {
  it("compiles a project whose build emits declarations and their maps (the compiler emits nothing)", () => {
    const file = project("library", { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", declaration: true, declarationMap: true, sourceMap: true, outDir: "dist", strict: true });
    const result = compileFile(file);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.handlers.map((h) => h.name)).toEqual(["handler"]);
  });

  it("reports a broken option of the user's tsconfig as D2S1003, not a crash", () => {
    const file = project("broken", { module: "NoSuchModuleKind" });
    const result = compileFile(file);
    expect(result.handlers).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toContain("D2S1003");
  });
});
