import { describe, expect, it } from "vitest";
import type { GeneratedProgram } from "./generator/index.ts";
import { checkProgram, passed, signatureOf } from "./runner.ts";

/**
 * A program the compiler must refuse (a step body changing a handler variable) is checked by
 * compiling it only: refused with one of the expected codes passes, compiled without it fails,
 * unless the operation it was asked for is not in the machine (unreachable code).
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
  expectRefusal: [
    { code: "D2S2015", site: "cc0" },
    { code: "D2S2002", site: "s0" },
  ],
});

describe("expected refusals", () => {
  it("passes when the compiler refuses with the expected code", async () => {
    const outcome = await checkProgram(program("total = 2;"));
    expect(outcome).toEqual({ kind: "refused", code: "D2S2002" });
    expect(passed(outcome.kind)).toBe(true);
  });

  it("verifies the program as usual where the operation asked to be refused is unreachable, so dropped", async () => {
    // The catch of an empty try never runs: the compiler drops it, and no D2S2015 was due.
    const unreachable: GeneratedProgram = {
      source: [
        'import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";',
        "export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {",
        '  const state = { last: "start", n: event.n };',
        "  try {",
        "  } catch {",
        '    const [promise, id] = await context.createCallback("cc0", { timeout: { seconds: 5 } });',
        '    state.last = id.length > 0 ? "cc0" : "none";',
        "    await promise;",
        "  }",
        '  await context.wait({ seconds: 1 });',
        "  return state;",
        "});",
        "",
      ].join("\n"),
      scenario: { event: { n: 1 } },
      features: ["create-callback"],
      expectRefusal: [{ code: "D2S2015", site: "cc0" }],
    };
    expect(await checkProgram(unreachable)).toEqual({ kind: "equal" });
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
