import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OutputError, refusal, writeOutputs, type PlannedOutput } from "../../compiler/emit/write-outputs.ts";
import { cli, type CliResult } from "./cli.ts";

// A careless user's project: handler files in a temporary folder, the SDK found through a link
// to this repository's node_modules, as in a real project.
const CLI = path.join(import.meta.dirname, "../../cli/bin.mjs");
const NODE_MODULES = realpathSync(path.join(import.meta.dirname, "../../node_modules"));
const MARKER = ".durable2sfn-build.json";
const isRoot = process.getuid?.() === 0;
/** Each case runs the CLI two to four times, each a full type check of the SDK: generous on a busy machine. */
const SLOW = 180_000;

const handlerSource = (name: string, body = "event.n * 2", imports = "") => `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
${imports}
export const ${name} = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  return await context.step("double", async () => ${body});
});
`;

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "d2s-safety-"));
  symlinkSync(NODE_MODULES, path.join(root, "node_modules"), "dir");
});
// rmSync removes the node_modules link, never what it points at.
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(file: string, text: string): string {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

/** Every file and folder under `dir` with its bytes (the node_modules link by its target): what "left exactly as it was" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = path.join(rel, name);
      if (name === "node_modules") out[r] = "link";
      else if (statSync(path.join(dir, r)).isDirectory()) {
        out[`${r}/`] = "";
        walk(r);
      } else out[r] = readFileSync(path.join(dir, r)).toString("base64");
    }
  };
  walk("");
  return out;
}

/** One line on stderr saying why, the exit code, and never a stack trace. */
function expectRefused(r: CliResult, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stdout + r.stderr).not.toContain("    at ");
  expect(r.stdout).not.toContain("built");
}

describe("build never destroys a user's files", () => {
  it("refuses an output folder that holds the handler being built (`build handler/index.ts --out .`)", () => {
    const source = put("handler/index.ts", handlerSource("handler"));
    put("handler/util.ts", "export const keep = 1;\n");
    const before = snapshot(root);
    const r = cli(["build", source, "--out", root]);
    expectRefused(r, 1, /^durable2sfn: refusing to replace .*handler\/: it holds .*handler\/index\.ts, a file being built; nothing was written \(choose another --out\)$/m);
    expect(snapshot(root)).toEqual(before);
  }, SLOW);

  it("refuses a folder of the user's that a handler's name points at (a handler exported as `docs`)", () => {
    const source = put("src/docs.ts", handlerSource("docs"));
    put("out/docs/guide.md", "# my guide\n");
    const before = snapshot(root);
    const r = cli(["build", source, "--out", path.join(root, "out")]);
    expectRefused(r, 1, /refusing to replace .*out\/docs\/: it holds files durable2sfn did not write \(no \.durable2sfn-build\.json\); nothing was written/);
    expect(snapshot(root)).toEqual(before);
  }, SLOW);

  it("replaces its own earlier build, and refuses once the user put a file of theirs into it", () => {
    const source = put("steps.ts", handlerSource("handler"));
    const out = path.join(root, "out");
    expect(cli(["build", source, "--out", out]).code).toBe(0);
    const marker = JSON.parse(readFileSync(path.join(out, "handler", MARKER), "utf8"));
    expect(marker).toEqual({
      writtenBy: "durable2sfn",
      handler: "handler",
      source: "../../steps.ts",
      files: ["fragments/index.mjs", "source-map.json", "state-machine.asl.json", "template.yaml"],
    });
    // a second build replaces the first: same files, no staging folder left in --out
    put("steps.ts", handlerSource("handler", "event.n * 3"));
    expect(cli(["build", source, "--out", out]).code).toBe(0);
    expect(readFileSync(path.join(out, "handler", "fragments", "index.mjs"), "utf8")).toContain("event.n * 3");
    expect(readdirSync(out)).toEqual(["handler"]);
    expect(readdirSync(path.join(out, "handler")).sort()).toEqual([MARKER, "fragments", "source-map.json", "state-machine.asl.json", "template.yaml"].sort());

    put("out/handler/notes.md", "mine\n");
    const before = snapshot(root);
    const r = cli(["build", source, "--out", out]);
    expectRefused(r, 1, /refusing to replace .*out\/handler\/: it holds files the last build did not write \(notes\.md\); nothing was written/);
    expect(snapshot(root)).toEqual(before);
  }, SLOW);

  it("refuses a marker it did not write", () => {
    const source = put("steps.ts", handlerSource("handler"));
    put("out/handler/.durable2sfn-build.json", "{ \"files\": [\"secrets.txt\"] }\n");
    put("out/handler/secrets.txt", "keep me\n");
    const before = snapshot(root);
    const r = cli(["build", source, "--out", path.join(root, "out")]);
    expectRefused(r, 1, /refusing to replace .*out\/handler\/: its \.durable2sfn-build\.json was not written by durable2sfn/);
    expect(snapshot(root)).toEqual(before);
  }, SLOW);
});

describe("which folders may be replaced", () => {
  it("never a link (even to a folder of the build's own), nor a folder above a handler file (also one in a folder named `..x`)", () => {
    const source = put("src/h.ts", handlerSource("handler"));
    put("out/built/.durable2sfn-build.json", JSON.stringify({ writtenBy: "durable2sfn", handler: "h", source: "x", files: [] }));
    symlinkSync(path.join(root, "out", "built"), path.join(root, "out", "link"), "dir");
    expect(refusal(path.join(root, "out", "link"), [source])).toBe("it is a symbolic link, not a folder durable2sfn wrote");
    expect(refusal(root, [source])).toBe(`it holds ${source}, a file being built`);
    expect(refusal(path.join(root, "src", "h.ts"), [source])).toBe(`it holds ${source}, a file being built`);
    expect(refusal(path.join(root, "out", "built"), [source])).toBeUndefined();
    const dotted = put("src/..x/h.ts", handlerSource("handler"));
    expect(refusal(path.join(root, "src"), [dotted])).toBe(`it holds ${dotted}, a file being built`);
  });
});

describe("build writes all or nothing", () => {
  it("a second handler whose bundle fails (an import only the type checker finds) leaves --out exactly as it was", () => {
    const good = put("good.ts", handlerSource("handler"));
    // ghost.d.ts satisfies the type checker; there is no ghost.ts for esbuild to bundle.
    put("ghost.d.ts", "export declare const ghost: number;\n");
    const bad = put("bad.ts", handlerSource("other", "event.n * ghost", 'import { ghost } from "./ghost";'));
    const out = path.join(root, "out");
    expect(cli(["build", good, "--out", out]).code).toBe(0);
    put("good.ts", handlerSource("handler", "event.n * 5"));
    const before = snapshot(root);
    const r = cli(["build", good, bad, "--out", out]);
    expectRefused(r, 1, /^durable2sfn: cannot bundle the fragments of .*bad\.ts \(other\): .*bad\.ts:2:23: Could not resolve "\.\/ghost"; nothing was written$/m);
    expect(snapshot(root)).toEqual(before);
  }, SLOW);

  it("the same failure on a fresh --out creates nothing", () => {
    put("ghost.d.ts", "export declare const ghost: number;\n");
    const bad = put("bad.ts", handlerSource("handler", "event.n * ghost", 'import { ghost } from "./ghost";'));
    const r = cli(["build", bad, "--out", path.join(root, "new", "out")]);
    expectRefused(r, 1, /cannot bundle the fragments of .*bad\.ts/);
    expect(existsSync(path.join(root, "new"))).toBe(false);
  }, SLOW);
});

describe("the swap undoes itself", () => {
  const plan = (dir: string, text: string): PlannedOutput => ({
    dir,
    files: { "template.yaml": text },
    marker: { writtenBy: "durable2sfn", handler: "h", source: "../h.ts", files: ["template.yaml"] },
  });

  it("when the second folder cannot be swapped in, the first is put back and the staging folder removed", () => {
    const out = path.join(root, "out");
    writeOutputs(out, [plan(path.join(out, "a"), "first build\n")], []);
    const before = snapshot(root);
    // A target whose parent does not exist: its rename fails after the first swap succeeded.
    const attempt = () => writeOutputs(out, [plan(path.join(out, "a"), "second build\n"), plan(path.join(out, "gone", "b"), "b\n")], []);
    expect(attempt).toThrow(OutputError);
    expect(attempt).toThrow(/^cannot write .*out\/: no such file or directory; nothing was written$/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe("a bad --out is one line, never a stack trace", () => {
  it("--out that is a file: exit 2, the file untouched", () => {
    const source = put("steps.ts", handlerSource("handler"));
    const file = put("out.txt", "not a folder\n");
    const before = snapshot(root);
    expectRefused(cli(["build", source, "--out", file]), 2, /^durable2sfn: .*out\.txt is a file, not a folder; nothing was written \(choose another --out\)$/m);
    expectRefused(cli(["build", source, "--out", path.join(file, "sub")]), 2, /^durable2sfn: .*out\.txt\/sub cannot be a folder: .*out\.txt is a file/m);
    expect(snapshot(root)).toEqual(before);
  }, SLOW);

  // chmod does not stop root from writing: as root (as in some containers) this case cannot be
  // staged, and is skipped.
  it.skipIf(isRoot)("--out that is not writable: exit 1 (skipped when running as root)", () => {
    const source = put("steps.ts", handlerSource("handler"));
    const out = path.join(root, "locked");
    mkdirSync(out);
    chmodSync(out, 0o555);
    try {
      expectRefused(cli(["build", source, "--out", out]), 1, /^durable2sfn: cannot write .*locked\/: permission denied; nothing was written/m);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      chmodSync(out, 0o755);
    }
  }, SLOW);
});

describe("output folders and names stay distinct", () => {
  it("handlers of the same name get distinct folders and distinct state machine and function names, the same on every build", () => {
    const long = "a".repeat(50);
    // Names are handed out in the order of the paths: the folders do not depend on the arguments' order.
    const files = [
      put("x/handler.ts", handlerSource("handler")), // x-handler/, handler-handler (no package.json above: named by the file alone)
      put("y/x.ts", handlerSource("handler")), // x-handler-2/, x-handler
      put("z/x/handler.ts", handlerSource("handler")), // x-handler-3/, x-handler-handler (handler-handler is taken)
      put(`${long}-one.ts`, handlerSource("handler")), // handler/; names cut to fit: one hash each
      put(`${long}-two.ts`, handlerSource("handler")), // aaa…-two-handler/
    ];
    const out = path.join(root, "out");
    const first = cli(["build", ...files, "--out", out]);
    expect(first.code, first.stderr).toBe(0);
    const folders = readdirSync(out).filter((f) => f !== "template.yaml").sort(); // template.yaml: the project stack
    expect(folders).toHaveLength(5);
    expect(folders).toEqual(expect.arrayContaining(["handler", "x-handler", "x-handler-2", "x-handler-3", `${long}-two-handler`]));
    const names = folders.map((f) => parse(readFileSync(path.join(out, f, "template.yaml"), "utf8")).Parameters);
    const machines = names.map((p) => p.StateMachineName.Default as string);
    const functions = names.map((p) => p.FunctionName.Default as string);
    expect(new Set(machines).size).toBe(5);
    expect(new Set(functions).size).toBe(5);
    for (const m of machines) expect(m).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    for (const f of functions) expect(f).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(machines).toEqual(expect.arrayContaining(["handler-handler", "x-handler", "x-handler-handler"]));

    // deterministic: a second build, the arguments reversed (replacing the first, by its markers), names everything the same
    const before = snapshot(out);
    expect(cli(["build", ...[...files].reverse(), "--out", out]).code).toBe(0);
    expect(snapshot(out)).toEqual(before);
  }, SLOW);

  it("in a project (a package.json above), default names follow the path from its root, whatever the current folder", () => {
    put("package.json", "{}");
    const files = [put("src/orders/handler.ts", handlerSource("handler")), put("src/billing.ts", handlerSource("handler"))];
    const out = path.join(root, "out");
    const r = spawnSync(process.execPath, [CLI, "build", ...files, "--out", out], { cwd: path.join(root, "src"), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const machineOf = (folder: string) => parse(readFileSync(path.join(out, folder, "template.yaml"), "utf8")).Parameters.StateMachineName.Default;
    const machines = readdirSync(out).filter((f) => f !== "template.yaml").map(machineOf).sort();
    expect(machines).toEqual(["src-billing-handler", "src-orders-handler"]);
  }, SLOW);
});

describe("build --check and the marker", () => {
  it("--check ignores the marker, reports a user's extra file, and writes nothing", () => {
    const source = put("steps.ts", handlerSource("handler"));
    const out = path.join(root, "out");
    expect(cli(["build", source, "--out", out]).code).toBe(0);
    const upToDate = cli(["build", source, "--out", out, "--check"]);
    expect(upToDate.code).toBe(0);
    expect(upToDate.stdout).not.toContain(MARKER);
    put("out/handler/notes.md", "mine\n");
    const before = snapshot(root);
    const stale = cli(["build", source, "--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/^extra {4}.*out\/handler\/notes\.md$/m);
    expect(stale.stdout).not.toContain(MARKER);
    expect(snapshot(root)).toEqual(before);
    // on a folder never built, --check creates nothing
    expect(cli(["build", source, "--out", path.join(root, "never"), "--check"]).code).toBe(1);
    expect(existsSync(path.join(root, "never"))).toBe(false);
  }, SLOW);
});
