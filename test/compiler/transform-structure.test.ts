import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { EMITTERS } from "../../compiler/transform/emitters.ts";

/**
 * The shape issue 11 gave compiler/transform: operation emitters reach the builder only through
 * operation-site.ts, and one emitter per operation kind (cycles and file sizes: test/architecture). Imports are read by TypeScript's own pre-processor.
 */
const dir = path.join(import.meta.dirname, "../../compiler/transform");
const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();

/** The transform modules a file imports (type-only imports and re-exports included). */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(dir, file), "utf8"), true, false);
  return importedFiles.map((i) => i.fileName).filter((name) => name.startsWith("./")).map((name) => name.slice(2));
}

const graph = new Map(files.map((f) => [f, localImports(f)]));

/** Every module a file reaches through its imports. */
function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...graph.get(from)!];
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...(graph.get(next) ?? []));
  }
  return seen;
}

describe("compiler/transform structure", () => {
  it("keeps the builder out of every emitter's imports", () => {
    const emitterFiles = localImports("emitters.ts").filter((f) => f !== "operation-site.ts");
    expect(emitterFiles.length).toBeGreaterThanOrEqual(6);
    for (const f of emitterFiles) {
      expect(reachable(f).has("states.ts"), `${f} reaches states.ts`).toBe(false);
      expect(localImports(f), `${f} takes the OperationSite`).toContain("operation-site.ts");
    }
  });

  it("has an emitter for every kind of durable operation", () => {
    const kinds = ["step", "wait", "waitForCallback", "waitForCondition", "invoke", "map", "parallel", "createCallback", "promise"];
    expect(Object.keys(EMITTERS).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) expect(typeof EMITTERS[kind as keyof typeof EMITTERS]).toBe("function");
  });
});
