import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../compiler/diagnostics.ts";
import { serialize, validateDefinition } from "../../compiler/emit/asl.ts";
import { DEFINITION_QUOTA_BYTES } from "../../compiler/emit/definition-size.ts";
import { compileFile } from "../../compiler/index.ts";
import { runCompiled } from "../../harness/run.ts";
import { walkStates, type StateGraph } from "../../asl/index.ts";

/** Step Functions' limits that a valid handler can reach: they give a diagnostic or are mapped around, never invalid ASL. */

const root = path.join(import.meta.dirname, "../..");
let work: string;

beforeAll(() => {
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  work = mkdtempSync(path.join(root, ".tmp", "limits-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function handlerFile(name: string, body: string, eventType = "{ n: number }"): string {
  const file = path.join(work, name);
  writeFileSync(
    file,
    `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";\n\nexport const handler = withDurableExecution(async (event: ${eventType}, context: DurableContext) => {\n${body}\n});\n`,
  );
  return file;
}

describe("local names over the 80-character ASL Variable limit", () => {
  it("become short, distinct Variable names, and the machine computes the same values", async () => {
    const long = "aVeryLongLocalNameThatSaysExactlyWhatItHolds".repeat(3); // 132 characters
    const [a, b, c] = [`${long}First`, `${long}Second`, `short`];
    const file = handlerFile(
      "long-names.ts",
      `  let ${a} = event.n;
  let ${b} = event.n * 2;
  let ${c} = 1;
  await context.wait("w", { seconds: 1 });
  if (event.n > 0) {
    await context.wait("again", { seconds: 1 });
    ${a} = ${a} + 1;
    ${b} = ${b} + ${c};
  }
  await context.wait("last", { seconds: 1 });
  return [${a}, ${b}, ${c}];`,
    );
    const { handlers, diagnostics } = compileFile(file);
    expect(diagnostics).toEqual([]);
    const definition = handlers[0]!.definition;
    expect(validateDefinition(definition)).toEqual([]);
    const names = new Set<string>();
    for (const { state } of walkStates(definition as unknown as StateGraph)) for (const k of Object.keys((state.Assign as object) ?? {})) names.add(k);
    expect([...names].every((n) => n.length <= 80)).toBe(true);
    expect(names.has("short")).toBe(true);
    const longOnes = [...names].filter((n) => n.startsWith("aVeryLong"));
    expect(longOnes).toHaveLength(2);
    // Deterministic: the same source gives the same names.
    expect(serialize(compileFile(file).handlers[0]!.definition)).toBe(serialize(definition));
    const { report } = await runCompiled(handlers[0]!, { event: { n: 5 } });
    expect(report.result).toEqual([6, 11, 1]);
  });
});

describe("D2S2016: a definition over the 1 MiB quota", () => {
  it("is a diagnostic at the handler with the size and the quota, not an internal error", () => {
    // One return of a large literal: one state whose Output holds it, quick to type-check.
    const big = "x".repeat(DEFINITION_QUOTA_BYTES + 1000);
    const file = handlerFile("too-big.ts", `  await context.wait("w", { seconds: 1 });\n  return { text: "${big}" };`);
    const { handlers, diagnostics } = compileFile(file);
    expect(handlers).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(d).toMatchObject({ code: "D2S2016", severity: "error", line: 3, column: 1 });
    expect(d.message).toMatch(/^the state machine definition is 1,04\d,\d{3} bytes \(\d+ states\), over the Step Functions quota of 1,048,576 bytes$/);
    expect(d.hint).toBeTruthy();
    expect(formatDiagnostic(d, work)).toMatch(/^too-big\.ts:3:1 - error D2S2016: /);
  });

  it("a definition just under the quota compiles", () => {
    const file = handlerFile("big-enough.ts", `  await context.wait("w", { seconds: 1 });\n  return { text: "${"x".repeat(DEFINITION_QUOTA_BYTES - 5000)}" };`);
    const { handlers, diagnostics } = compileFile(file);
    expect(diagnostics).toEqual([]);
    expect(Buffer.byteLength(serialize(handlers[0]!.definition))).toBeLessThanOrEqual(DEFINITION_QUOTA_BYTES);
  });
});
