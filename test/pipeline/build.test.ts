import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./cli.ts";

const STEPS = "test/fixtures/compiler/steps.ts";
const ERRORS = "test/fixtures/compiler/errors.ts";
const INVALID = "test/pipeline/fixtures/nested-step.ts";

describe("build in a pipeline", () => {
  let out: string;
  beforeAll(() => {
    out = path.join(mkdtempSync(path.join(os.tmpdir(), "d2s-build-")), "out");
    const r = cli(["build", STEPS, ERRORS, "--out", out]);
    expect(r.code).toBe(0);
    // several handlers: progress on stderr
    expect(r.stderr).toContain(`compiling ${STEPS} [1/2]`);
    expect(r.stdout).toContain("[2/2] built");
  });

  it("a handler invoking another handler of the same build is refused (D2S2009), and nothing is written", () => {
    const target = path.join(mkdtempSync(path.join(os.tmpdir(), "d2s-build-")), "out");
    const r = cli(["build", STEPS, "test/pipeline/fixtures/invokes-steps.ts", "--out", target]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/invokes-steps\.ts:4:\d+ - error D2S2009: `test-fixtures-compiler-steps-handler` is a handler of this build/);
    expect(r.stderr).toContain("nothing was written");
  });

  it("--check exits 0 when the outputs are those of a fresh build, and writes nothing", () => {
    const r = cli(["build", STEPS, ERRORS, "--out", out, "--check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`up to date ${path.join(out, "handler")}/`);
  });

  it("--check exits 1 and names each changed, missing or extra file", () => {
    appendFileSync(path.join(out, "handler", "template.yaml"), "# edited by hand\n");
    writeFileSync(path.join(out, "handler", "notes.txt"), "left over");
    rmSync(path.join(out, "steps-handler", "source-map.json"));
    const r = cli(["build", STEPS, ERRORS, "--out", out, "--check"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`differs  ${path.join(out, "handler", "template.yaml")}`);
    expect(r.stdout).toContain(`extra    ${path.join(out, "handler", "notes.txt")}`);
    expect(r.stdout).toContain(`missing  ${path.join(out, "steps-handler", "source-map.json")}`);
    // check mode wrote nothing: the edit is still there
    expect(cli(["build", STEPS, ERRORS, "--out", out, "--check"]).code).toBe(1);
  });

  it("--check on a folder never built lists every file as missing", () => {
    const r = cli(["build", STEPS, "--out", path.join(out, "nowhere"), "--check"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing\s+\S+state-machine\.asl\.json/);
  });

  it("--diagnostics json prints one array on stdout, warnings included, and exits 1 on errors", () => {
    const r = cli(["build", INVALID, "--out", path.join(out, "invalid"), "--diagnostics", "json"]);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows).toEqual([
      expect.objectContaining({ code: "D2S2003", severity: "warning", file: INVALID, line: 5, column: 17 }),
      expect.objectContaining({ code: "D2S2001", severity: "error", file: INVALID, line: 6 }),
    ]);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(["code", "column", "file", "hint", "line", "message", "severity"]);
  });

  it("--diagnostics json on a clean build prints [] and keeps the progress lines off stdout", () => {
    const r = cli(["build", STEPS, "--out", path.join(out, "json"), "--diagnostics", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain("built");
  });

  it("usage errors exit 2; --help documents the exit codes", () => {
    expect(cli(["build", STEPS, "--diagnostics", "xml"]).code).toBe(2);
    const help = cli(["build", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 /);
  });
});
