import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `run` keeps an unchanged handler's build (api/run-cache.ts) in the project's
 * node_modules/.cache/durable2sfn, and builds afresh when the handler or a module it imports changes.
 */
const CLI = path.join(import.meta.dirname, "../../cli/bin.mjs");
const SCOPE = realpathSync(path.join(import.meta.dirname, "../../node_modules/@aws"));
const SLOW = 240_000;

let root: string;
let cache: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "d2s-run-cache-"));
  // A node_modules of the project's own (so the cache lands here), holding the SDK by a link.
  mkdirSync(path.join(root, "node_modules"));
  symlinkSync(SCOPE, path.join(root, "node_modules/@aws"), "dir");
  cache = path.join(root, "node_modules/.cache/durable2sfn");
  writeFileSync(path.join(root, "package.json"), "{}");
  writeFileSync(path.join(root, "rate.ts"), "export const RATE = 3;\n");
  writeFileSync(
    path.join(root, "handler.ts"),
    `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { RATE } from "./rate.ts";
export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  return await context.step("scale", async () => event.n * RATE);
});
`,
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(...extra: string[]): unknown {
  const r = spawnSync(process.execPath, [CLI, "run", "handler.ts", "--input", '{"n":7}', "--json", ...extra], { cwd: root, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).result;
}

const entries = () => readdirSync(cache).map((f) => ({ f, mtime: statSync(path.join(cache, f)).mtimeMs }));

describe("run's build cache", () => {
  it("keeps a build and reuses it while the handler and its modules are unchanged", () => {
    expect(run()).toBe(21);
    const kept = entries();
    expect(kept).toHaveLength(1);
    expect(run()).toBe(21);
    // Not rebuilt: a fresh build would have written the entry again.
    expect(entries()).toEqual(kept);
  }, SLOW);

  it("builds afresh when a module the handler imports changes", () => {
    writeFileSync(path.join(root, "rate.ts"), "export const RATE = 5;\n");
    expect(run()).toBe(35);
  }, SLOW);

  it("--no-cache builds afresh and keeps nothing", () => {
    const before = entries();
    writeFileSync(path.join(root, "rate.ts"), "export const RATE = 2;\n");
    expect(run("--no-cache")).toBe(14);
    expect(entries()).toEqual(before);
  }, SLOW);
});
