import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { TABLE, formatDiagnostic, type DiagnosticCode } from "../../compiler/diagnostics.ts";

/**
 * Each file in test/fixtures/bad marks the line where a diagnostic must appear with
 * `// expect D2Sxxxx`; the compiler must report exactly that code on that line.
 */
const dir = path.join(import.meta.dirname, "../fixtures/bad");
const all = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => !readFileSync(path.join(dir, f), "utf8").startsWith("// expect no handler"))
  .map((file) => {
    const lines = readFileSync(path.join(dir, file), "utf8").split("\n");
    const index = lines.findIndex((l) => /expect (D2S\d{4}|none)/.test(l));
    const [, code, at] = /expect (D2S\d{4}|none)(?: at (\d+))?/.exec(lines[index])!;
    return { file, code, line: at ? Number(at) : index + 1 };
  });
const cases = all.filter((c) => c.code !== "none");
const quiet = all.filter((c) => c.code === "none");

describe("diagnostics", () => {
  it.each(cases)("$file reports $code on line $line", ({ file, code, line }) => {
    const { diagnostics, handlers } = compileFile(path.join(dir, file));
    const found = diagnostics.find((d) => d.code === code);
    expect(found, JSON.stringify(diagnostics)).toBeDefined();
    expect(found!.line).toBe(line);
    expect(found!.column).toBeGreaterThan(0);
    expect(found!.message.length).toBeGreaterThan(0);
    if (found!.severity === "error") expect(handlers).toEqual([]);
    expect(formatDiagnostic(found!, dir)).toMatch(new RegExp(`^${file.replace(".", "\\.")}:${line}:\\d+ - (error|warning) ${code}: `));
  });

  it.each(quiet)("$file compiles without diagnostics", ({ file }) => {
    const { diagnostics, handlers } = compileFile(path.join(dir, file));
    expect(diagnostics).toEqual([]);
    expect(handlers).toHaveLength(1);
  });

  it("every diagnostic code has a fixture that triggers it", () => {
    // D2S2016 (a generated definition over 1 MiB) is triggered in limits.test.ts.
    const covered = new Set([...cases.map((c) => c.code), "D2S1001", "D2S2016"]);
    const missing = (Object.keys(TABLE) as DiagnosticCode[]).filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  it("D2S1001: a missing file is reported, not thrown", () => {
    const { diagnostics } = compileFile(path.join(dir, "does-not-exist.ts"));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].code).toBe("D2S1001");
  });

  it("D2S2007: a function holding operations kept in an array says so, not that the operation is inside an expression", () => {
    const { diagnostics } = compileFile(path.join(dir, "operation-in-stored-function.ts"));
    expect(diagnostics[0]).toMatchObject({ code: "D2S2007", line: 8 });
    expect(diagnostics[0].message).toContain("kept as a value here, to be called later");
    expect(diagnostics[0].hint).toContain("in the catch block");
  });

  it("a warning does not stop the build", () => {
    const { diagnostics, handlers } = compileFile(path.join(dir, "nondeterministic.ts"));
    expect(diagnostics.map((d) => d.severity)).toEqual(["warning"]);
    expect(handlers).toHaveLength(1);
  });
});

describe("durable2sfn build on bad input", () => {
  const cli = path.join(import.meta.dirname, "../../cli/bin.mjs");
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });

  it("prints tsc-style diagnostics, exits 1 and writes nothing", () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "d2s-bad-"));
    const r = run("build", "op-in-step.ts", "closure-mutation.ts", "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("op-in-step.ts:3:");
    expect(r.stderr).toContain("error D2S2001");
    expect(r.stderr).toContain("error D2S2002");
    expect(r.stderr).toContain("hint:");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(out)).toEqual([]);
  });

  it("a missing file is exit 1 with a clear message", () => {
    const r = run("build", "nope.ts");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("D2S1001");
    expect(existsSync(path.join(dir, "durable2sfn.out"))).toBe(false);
  });

  it("an unknown flag is a usage error, exit 2", () => {
    const r = run("build", "op-in-step.ts", "--frobnicate");
    expect(r.status).toBe(2);
  });
});
