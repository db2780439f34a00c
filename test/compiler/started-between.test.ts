import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";

/**
 * D2S2007 for code between operations started in `const`s and their consumer: each refusal says
 * which operation, which code and why (the fixtures in test/fixtures/bad mark the line; the
 * shapes that compile are checked against the SDK by the combined-* equivalence fixtures).
 */
const bad = (file: string) => path.join(import.meta.dirname, "../fixtures/bad", file);

const cases: { file: string; says: string[] }[] = [
  { file: "combined-await-between.ts", says: ["`a` (started at line 7)", "awaits"] },
  { file: "combined-return-between.ts", says: ["`a` (started at line 4)", "a `return`", "never start it"] },
  { file: "combined-operation-between.ts", says: ["`a` (started at line 7)", "starts durable operations of its own"] },
  { file: "combined-changes-read.ts", says: ["`order`", "`charged` (started at line 6)", "its function runs after this code"] },
  { file: "promise-code-between.ts", says: ["`n`", "`a` (started at line 4)"] },
  { file: "combined-code-between-starts.ts", says: ["`a` (line 5)", "`b` (line 7)", "never starts"] },
  { file: "combined-inline-after-code.ts", says: ["the code at line 6", "beside `a`"] },
];

describe("D2S2007: code while operations are started", () => {
  it.each(cases)("$file says why", ({ file, says }) => {
    const { diagnostics, handlers } = compileFile(bad(file));
    expect(handlers).toEqual([]);
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.code)).toEqual(["D2S2007"]);
    for (const part of says) expect(errors[0].message).toContain(part);
    expect(errors[0].hint?.length ?? 0).toBeGreaterThan(0);
  });
});
