import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The import rules of docs/internals.md ("Layout and import rules"), checked on the source text so
 * that they stay true: data flows one way (cli -> api -> harness -> compiler, runtime -> shared modules),
 * the CLI goes through public entry points, and no import cycle exists anywhere.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOP_LEVEL = ["asl", "protocol", "compiler", "runtime", "harness", "api", "cli", "scripts", "bench"];

/** What each top-level folder may import from the others (a folder may always import itself). */
const MAY_IMPORT: Record<string, string[]> = {
  asl: [],
  protocol: [],
  compiler: ["asl", "protocol"],
  runtime: ["asl", "protocol"],
  harness: ["asl", "protocol", "compiler", "runtime"],
  api: ["asl", "protocol", "compiler", "runtime", "harness"],
  cli: ["asl", "protocol", "compiler", "runtime", "harness", "api"],
  scripts: ["asl"],
  bench: ["asl", "protocol", "compiler", "runtime", "harness", "api", "cli", "scripts"],
};

/** The public entry points the CLI uses; anything deeper is another module's internals. */
const ENTRY_POINTS = ["api/index.ts", "asl/index.ts", "protocol/index.ts", "compiler/index.ts", "runtime/emulator/index.ts", "runtime/server/index.ts", "harness/index.ts", "scripts/bundle.ts"];

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [rel] : [];
  });
}

/** Relative imports of one file (type-only imports and re-exports included), as paths from the repository root. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
}

const files = TOP_LEVEL.flatMap(sourceFiles);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const topOf = (file: string) => file.split("/")[0];

/** Strongly connected components with more than one file (Tarjan), i.e. the import cycles. */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("import rules", () => {
  it("finds the project's sources", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("has no import cycle", () => {
    expect(cycles()).toEqual([]);
  });

  it("lets data flow one way between the top-level folders", () => {
    const wrong = files.flatMap((file) =>
      (graph.get(file) ?? []).filter((to) => topOf(to) !== topOf(file) && !(MAY_IMPORT[topOf(file)] ?? []).includes(topOf(to))).map((to) => `${file} -> ${to}`),
    );
    expect(wrong).toEqual([]);
  });

  it("has the CLI and the benchmarks use only the public entry points of the other modules", () => {
    const wrong = files
      .filter((f) => topOf(f) === "cli" || topOf(f) === "bench")
      .flatMap((file) => (graph.get(file) ?? []).filter((to) => topOf(to) !== topOf(file) && !ENTRY_POINTS.includes(to)).map((to) => `${file} -> ${to}`));
    expect(wrong).toEqual([]);
  });

  it("keeps every source file under 450 lines", () => {
    const long = files.map((f) => ({ f, lines: readFileSync(path.join(ROOT, f), "utf8").split("\n").length })).filter((x) => x.lines > 450);
    expect(long.map((x) => `${x.f}: ${x.lines} lines`)).toEqual([]);
  });
});
