import { describe, expect, it } from "vitest";
import type { GeneratedProgram } from "./generator/index.ts";
import { checkProgram, passed, signatureOf } from "./runner.ts";

/**
 * A program the compiler must refuse (a step body changing a handler variable) is checked by
 * compiling it only: refused with the expected code passes, compiled without it fails.
 */

const program = (stepBody: string): GeneratedProgram => ({
  source: [
    'import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";',
    "export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {",
    "  let total = event.n;",
    `  await context.step("s0", async () => { ${stepBody} return 1; });`,
    "  return total;",
    "});",
    "",
  ].join("\n"),
  scenario: { event: { n: 1 } },
  features: ["mutating-step"],
  expectRefusal: "D2S2002",
});

describe("expected refusals", () => {
  it("passes when the compiler refuses with the expected code", async () => {
    const outcome = await checkProgram(program("total = 2;"));
    expect(outcome).toEqual({ kind: "refused", code: "D2S2002" });
    expect(passed(outcome.kind)).toBe(true);
  });

  it("fails, with its own signature, when the program compiles", async () => {
    const outcome = await checkProgram(program(""));
    expect(outcome).toEqual({ kind: "missed-refusal", message: "compiled without D2S2002" });
    expect(passed(outcome.kind)).toBe(false);
    expect(signatureOf(outcome)).toBe("missed-refusal compiled without D2S2002");
  });
});

describe("a program the SDK's own runner cannot run", () => {
  it("is counted apart (no SDK outcome), not as a divergence or a crash of ours", async () => {
    const outcome = await checkProgram({
      source: [
        'import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";',
        "export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {",
        "  await context.wait({ seconds: (event.n % 4 + 5) / 2 });",
        '  return "done";',
        "});",
        "",
      ].join("\n"),
      scenario: { event: {} },
      features: ["computed-wait", "ill-typed-input"],
    });
    expect(outcome.kind).toBe("no-sdk-outcome");
    expect((outcome as { message: string }).message).toContain("Invalid time value");
    expect(passed(outcome.kind)).toBe(true);
  });
});
