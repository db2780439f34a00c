import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeHandlerOutputs } from "../../compiler/index.ts";
import {
  compileSource,
  expectedFiles,
  GOLDEN_FILES,
  goldenPath,
  goldenSources,
  orphanGoldenFolders,
  ROOT,
  strayGoldenEntries,
  UPDATE_COMMAND,
} from "./golden.ts";

/**
 * What the compiler emits for every sample and compiler fixture must equal the committed golden
 * files (layout in golden.ts). Each source is compiled once, without bundling.
 */

const sources = goldenSources();
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const readGolden = (rel: string) => (existsSync(path.join(ROOT, rel)) ? readFileSync(path.join(ROOT, rel), "utf8") : undefined);

describe.each(sources)("golden files of $source", (source) => {
  const { handlers, errors } = compileSource(source);
  const names = handlers.map((h) => h.name);

  it("compiles", () => {
    expect(errors, `${source.source} does not compile`).toEqual([]);
    expect(names.length, `${source.source} has no handler`).toBeGreaterThan(0);
  });

  it.each(handlers.map((h) => [h.name, h] as const))("%s: emitted files equal the golden files", (name, handler) => {
    for (const [file, text] of Object.entries(expectedFiles(handler))) {
      const rel = goldenPath(source, name, file);
      const golden = readGolden(rel);
      const fix = `run \`${UPDATE_COMMAND} -- ${source.source}\` and review the diff`;
      expect(golden, `${rel} is missing: ${fix}`).toBeDefined();
      // Strings, so that a difference is shown as a line diff.
      expect(text, `${rel} differs from what the compiler emits (- golden, + emitted): ${fix}`).toBe(golden);
    }
  });

  it("has no golden files for handlers that no longer exist", () => {
    expect(strayGoldenEntries(source, names), `stray golden entries: run \`${UPDATE_COMMAND}\` and review the diff`).toEqual([]);
  });
});

describe("golden folders", () => {
  it("exist only for sources that exist", () => {
    expect(orphanGoldenFolders(), `golden folders without a source: run \`${UPDATE_COMMAND}\` and review the diff`).toEqual([]);
  });

  it("cover the samples and the compiler fixtures", () => {
    const names = sources.map((s) => s.source);
    expect(names).toEqual(expect.arrayContaining(["samples/order-saga/handler.ts", "test/fixtures/compiler/steps.ts"]));
    expect(names).not.toContain("samples/machines/handler.ts");
    expect(sources.filter((s) => !existsSync(path.join(ROOT, s.golden))).map((s) => s.source), `no golden files: run \`${UPDATE_COMMAND}\``).toEqual([]);
  });

  it("hold the bytes that `durable2sfn build` writes (same serializers as writeHandlerOutputs)", async () => {
    const source = sources.find((s) => s.source === "test/fixtures/compiler/steps.ts")!;
    const [handler] = compileSource(source).handlers;
    const out = mkdtempSync(path.join(os.tmpdir(), "d2s-golden-"));
    temps.push(out);
    await writeHandlerOutputs(handler, path.join(out, handler.name));
    for (const file of GOLDEN_FILES) {
      expect(readFileSync(path.join(out, handler.name, file), "utf8"), file).toBe(expectedFiles(handler)[file]);
    }
  });

  it("update-golden refuses a file that is not a source with one line and exit code 2, writing nothing", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "test/golden/update.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, INIT_CWD: ROOT } });
    const notSource = run("samples/machines/order-flow.asl.json");
    expect(notSource.status).toBe(2);
    expect(notSource.stderr).toMatch(/^update-golden: samples\/machines\/order-flow\.asl\.json is not a sample handler or compiler fixture\nusage: /);
    expect(notSource.stdout).toBe("");
    expect(run("--all").status).toBe(2);
  });
});
