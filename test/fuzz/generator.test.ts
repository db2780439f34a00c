import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { printProgram, programArbitrary } from "./generator/index.ts";
import { WORK_DIR } from "./runner.ts";

/**
 * The generator itself, without running anything: programs type-check in strict mode (with the
 * options the compiler uses), printing is deterministic, and the grammar is covered.
 */

const SEED = 4242;

describe("program generator", () => {
  it("generates programs that type-check in strict TypeScript", () => {
    const programs = fc.sample(programArbitrary(), { seed: SEED, numRuns: 300 }).map(printProgram);
    const dir = path.join(WORK_DIR, `typecheck-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const files = programs.map((p, i) => {
        const file = path.join(dir, `p${i}.ts`);
        writeFileSync(file, p.source);
        return file;
      });
      const program = ts.createProgram(files, {
        strict: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
      });
      const errors = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .map((d) => {
          const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
          const source = d.file ? programs[files.indexOf(d.file.fileName)]?.source : undefined;
          const line = where && source ? source.split("\n")[where.line] : "";
          return `${path.basename(d.file?.fileName ?? "?")}:${(where?.line ?? 0) + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n  ${line?.trim()}`;
        });
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("prints the same program and scenario for the same seed", () => {
    const a = fc.sample(programArbitrary(), { seed: SEED, numRuns: 20 }).map(printProgram);
    const b = fc.sample(programArbitrary(), { seed: SEED, numRuns: 20 }).map(printProgram);
    expect(b).toEqual(a);
  });

  it("covers every part of the grammar", () => {
    const seen = new Set(fc.sample(programArbitrary(), { seed: SEED, numRuns: 400 }).flatMap((n) => printProgram(n).features));
    const expected = [
      "step", "retry-default", "retry-none", "retry-custom", "retryable-errors", "computed-name",
      "fault-attemptAtMost", "fault-attemptAtMostEvent", "fault-failAt", "fault-cond", "fault-condFirstAttempt",
      "wait", "computed-wait", "waitForCallback", "callback-success", "callback-failure", "callback-timeout", "submitter-fault",
      "if", "if-else", "switch", "switch-fallthrough", "for", "forOf", "while", "doWhile", "label", "break", "continue", "break-label", "continue-label", "block",
      "return-conditional", "return-middle", "try-catch", "try-finally", "try-catch-finally", "rethrow", "throw",
      "catch-name", "catch-message", "catch-both", "catch-instanceofStep", "catch-instanceofTimeout", "catch-instanceofClass", "catch-declare",
      "let", "const", "object-local", "array-local", "destructuring", "mutation",
    ];
    expect(expected.filter((f) => !seen.has(f))).toEqual([]);
  });

  it("always declares at least one durable operation and only answers its own callbacks", () => {
    for (const node of fc.sample(programArbitrary(), { seed: SEED + 1, numRuns: 100 })) {
      const program = printProgram(node);
      expect(program.source).toMatch(/context\.(step|wait|waitForCallback|map|parallel)\(/);
      for (const name of Object.keys(program.scenario.callbacks ?? {})) expect(program.source).toContain(`"${name}"`);
    }
  });
});
