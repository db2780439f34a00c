import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDurableHandler, parseSpec } from "../../bench/corpus/discover.ts";
import { GitSource } from "../../bench/corpus/git-source.ts";
import { ManifestError, mirrorGitDir, parseManifest } from "../../bench/corpus/manifest.ts";
import { candidatePaths, materialize } from "../../bench/corpus/materialize.ts";
import type { CorpusRecord } from "../../bench/corpus/record.ts";
import { figures, summaryText } from "../../bench/corpus/summary.ts";

/**
 * The corpus runner's offline parts (bench/corpus): the manifest, reading files of a commit out of
 * a bare git mirror with their relative imports, and the figures. The corpus itself needs the
 * mirrors of public repositories and is not run here.
 */

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd, encoding: "utf8" }).trim();

let tmp: string;
let mirrors: string;
let first: string;
let second: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "corpus-test-"));
  const work = path.join(tmp, "work");
  mkdirSync(path.join(work, "app/src/lib"), { recursive: true });
  writeFileSync(path.join(work, "app/package.json"), JSON.stringify({ name: "app", type: "module", dependencies: {} }));
  writeFileSync(path.join(work, "app/src/lib/names.ts"), 'export const STEP = "charge";\n');
  writeFileSync(path.join(work, "app/src/lib/index.ts"), 'export * from "./names.js";\n');
  writeFileSync(
    path.join(work, "app/src/handler.ts"),
    'import { withDurableExecution } from "@aws/durable-execution-sdk-js";\nimport { STEP } from "./lib";\nimport { missing } from "./nowhere";\nexport const handler = withDurableExecution(async (e, ctx) => ctx.step(STEP, async () => missing));\n',
  );
  git(work, "init", "-q");
  git(work, "add", ".");
  git(work, "commit", "-qm", "one");
  first = git(work, "rev-parse", "HEAD");
  writeFileSync(path.join(work, "app/src/lib/names.ts"), 'export const STEP = "refund";\n');
  git(work, "commit", "-qam", "two");
  second = git(work, "rev-parse", "HEAD");
  mirrors = path.join(tmp, "mirrors");
  mkdirSync(path.join(mirrors, "someone+app"), { recursive: true });
  execFileSync("git", ["clone", "-q", "--bare", work, path.join(mirrors, "someone+app", "repo")]);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the manifest", () => {
  const good = { repo: "someone/app", commit: "a".repeat(40), corpus: "external", files: ["src/handler.ts"] };

  it("accepts sources with a repo, a commit, a corpus and paths", () => {
    expect(parseManifest({ sources: [good] }).sources).toEqual([good]);
  });

  it.each([
    [{ sources: [{ ...good, repo: "app" }] }, /repo must be "owner\/name"/],
    [{ sources: [{ ...good, commit: "main" }] }, /commit must be 40/],
    [{ sources: [{ ...good, files: ["../etc/passwd"] }] }, /paths inside the repository/],
    [{ sources: [{ ...good, corpus: "" }] }, /corpus must be a name/],
    [{ sources: [good, good] }, /listed twice/],
    [{}, /no `sources` array/],
  ])("refuses %j", (value, message) => {
    expect(() => parseManifest(value)).toThrow(ManifestError);
    expect(() => parseManifest(value)).toThrow(message);
  });

  it("finds a mirror laid out as owner+name/repo, and no other repository's", () => {
    expect(mirrorGitDir(mirrors, "someone/app")).toBe(path.join(mirrors, "someone+app", "repo"));
    expect(mirrorGitDir(mirrors, "someone/else")).toBeUndefined();
  });
});

describe("reading a handler out of a mirror", () => {
  it("reads a file at the commit named, not at the mirror's HEAD", () => {
    const gitDir = mirrorGitDir(mirrors, "someone/app")!;
    expect(new GitSource(gitDir, first).read("app/src/lib/names.ts")).toContain('"charge"');
    expect(new GitSource(gitDir, second).read("app/src/lib/names.ts")).toContain('"refund"');
    expect(new GitSource(gitDir, first).has("app/src/lib")).toBe(false);
    expect(new GitSource(gitDir, first).has("app/src/lib/index.ts")).toBe(true);
  });

  it("writes the handler with its relative imports (a folder's index, a .js specifier for a .ts file), the package's module type and a node_modules link", () => {
    const source = new GitSource(mirrorGitDir(mirrors, "someone/app")!, first);
    const root = path.join(tmp, "project");
    const nodeModules = path.join(tmp, "fake-node-modules");
    mkdirSync(nodeModules, { recursive: true });
    const written = materialize(source, "app/src/handler.ts", root, "someone+app", nodeModules);
    expect(written.file).toBe(path.join(root, "someone+app/app/src/handler.ts"));
    expect(written.helpers.sort()).toEqual(["app/src/lib/index.ts", "app/src/lib/names.ts"]);
    expect(written.unresolved).toEqual(["app/src/handler.ts: ./nowhere"]);
    expect(readFileSync(path.join(root, "someone+app/app/src/lib/names.ts"), "utf8")).toContain('"charge"');
    // Only what decides how Node loads the files: no dependencies of the third-party project.
    expect(JSON.parse(readFileSync(path.join(root, "someone+app/app/package.json"), "utf8"))).toEqual({ type: "module" });
    expect(readlinkSync(path.join(root, "node_modules"))).toBe(nodeModules);
    expect(existsSync(path.join(root, "someone+app/app/src/nowhere.ts"))).toBe(false);
  });

  it("tries the paths TypeScript and Node try for a relative specifier", () => {
    const candidates = candidatePaths("src/a/handler.ts", "../lib/util.js");
    expect(candidates.indexOf("src/lib/util.js")).toBeLessThan(candidates.indexOf("src/lib/util.js.ts"));
    expect(candidates).toContain("src/lib/util.ts");
    expect(candidatePaths("src/handler.ts", "./lib")).toEqual(expect.arrayContaining(["src/lib.ts", "src/lib/index.ts", "src/lib/index.mjs"]));
  });
});

describe("discovering handlers", () => {
  it("takes code that imports the SDK and calls withDurableExecution, type arguments allowed; not tests, declarations or docs", () => {
    const handler = 'import { withDurableExecution } from "@aws/durable-execution-sdk-js";\nexport const handler = withDurableExecution<E, R>(async () => 1);';
    expect(isDurableHandler("src/h.ts", handler)).toBe(true);
    expect(isDurableHandler("src/h.mjs", handler.replace("<E, R>", ""))).toBe(true);
    expect(isDurableHandler("src/h.test.ts", handler)).toBe(false);
    expect(isDurableHandler("dist/h.js", handler)).toBe(false);
    expect(isDurableHandler("README.md", handler)).toBe(false);
    expect(isDurableHandler("src/h.ts", 'import { withDurableExecution } from "other";\nwithDurableExecution(f);')).toBe(false);
    expect(isDurableHandler("src/h.ts", 'import { withDurableExecution } from "@aws/durable-execution-sdk-js";\nexport { withDurableExecution };')).toBe(false);
  });

  it("reads CORPUS=OWNER/NAME[@COMMIT][:FOLDER]", () => {
    expect(parseSpec("sdk=aws/sdk:packages/examples/")).toEqual({ corpus: "sdk", repo: "aws/sdk", commit: undefined, under: "packages/examples" });
    expect(parseSpec(`external=a/b@${"c".repeat(40)}`)).toEqual({ corpus: "external", repo: "a/b", commit: "c".repeat(40), under: undefined });
    expect(() => parseSpec("a/b")).toThrow(/CORPUS=OWNER\/NAME/);
  });
});

describe("the figures", () => {
  const record = (corpus: string, status: CorpusRecord["status"], extra: Partial<CorpusRecord> = {}): CorpusRecord => ({ corpus, repo: "o/r", commit: "c", path: `${corpus}-${status}-${Math.random()}`, status, seconds: 0, ...extra });
  const outcome = (verify: Array<"equal" | "differ" | "not comparable">) => ({ compiled: true, handlers: verify.map((_, i) => `h${i}`), errorCount: 0, warnings: [], verify: verify.map((o, i) => ({ handler: `h${i}`, outcome: o })) });
  const refusal = (code: string) => ({ compiled: false, handlers: [], errorCount: 1, warnings: [], diagnostic: { code, message: "m", file: "f", line: 1, column: 1 } });
  const records = [
    record("sdk", "compiled", { outcome: outcome(["equal"]) }),
    record("sdk", "compiled", { outcome: outcome(["equal", "differ"]) }),
    record("sdk", "compiled", { outcome: outcome(["equal", "not comparable"]) }),
    record("sdk", "refused", { outcome: refusal("D2S2002") }),
    record("external", "refused", { outcome: refusal("D2S2002") }),
    record("external", "refused", { outcome: refusal("D2S1001") }),
    record("external", "timeout"),
    record("external", "missing"),
  ];

  it("counts files: a file is equal only when every handler is, differs when any does", () => {
    const sdk = figures(records.filter((r) => r.corpus === "sdk"));
    expect(sdk).toMatchObject({ tried: 4, compiled: 3, refused: 1, equal: 1, differ: 1, notComparable: 1, refusalsByCode: { D2S2002: 1 } });
    const external = figures(records.filter((r) => r.corpus === "external"));
    expect(external).toMatchObject({ tried: 3, compiled: 0, refused: 2, timedOut: 1, missing: 1, refusalsByCode: { D2S2002: 1, D2S1001: 1 } });
  });

  it("prints one row per corpus and one for all, and the refusals by code, most frequent first", () => {
    const text = summaryText(records, true);
    expect(text).toMatch(/\| sdk +\| +4 \| +3 \| +1 \|/);
    expect(text).toMatch(/\| all +\| +7 \| +3 \| +3 \|/);
    const codes = text.slice(text.indexOf("Refusals"));
    expect(codes.indexOf("D2S2002")).toBeLessThan(codes.indexOf("D2S1001"));
    expect(codes).toMatch(/\| D2S2002 \| +1 \| +1 \| +2 \|/);
  });

  it("sums the cost of the handlers that verified equal, per corpus and in all", () => {
    const costed = (cost: { transitions: number; steps: number; glue: number }) => ({ ...outcome(["equal"]), verify: [{ handler: "h0", outcome: "equal" as const, cost }] });
    const text = summaryText(
      [
        record("sdk", "compiled", { outcome: costed({ transitions: 10, steps: 3, glue: 1 }) }),
        record("sdk", "compiled", { outcome: costed({ transitions: 5, steps: 2, glue: 0 }) }),
        record("external", "compiled", { outcome: costed({ transitions: 7, steps: 1, glue: 2 }) }),
        record("external", "compiled", { outcome: outcome(["differ"]) }),
      ],
      true,
    );
    const cost = text.slice(text.indexOf("Cost of"));
    expect(cost).toMatch(/\| sdk +\| +2 \| +15 \| +5 \| +1 \|/);
    expect(cost).toMatch(/\| external +\| +1 \| +7 \| +1 \| +2 \|/);
    expect(cost).toMatch(/\| all +\| +3 \| +22 \| +6 \| +3 \|/);
    expect(summaryText(records, false)).not.toContain("Cost of");
  });
});
