import { beforeAll, describe, expect, it } from "vitest";
import { compileFile, type CompiledHandler } from "../../compiler/index.ts";
import { runCompiled } from "../../harness/run.ts";

/** `run` of a relayed callback on the emulator, with the in-memory relay: no AWS, answers by id. */
const SLOW = 240_000;
let handler: CompiledHandler;
beforeAll(() => {
  handler = compileFile("test/fixtures/compiler/relay-handed-on.ts").handlers[0]!;
}, SLOW);

describe("run of a callback through the relay", () => {
  it("an answer at createCallback reaches the handler at its await, after a five-minute wait", async () => {
    const run = await runCompiled(handler, { event: { mode: "late" }, callbacks: { "awaiting-approval": [{ success: '"early"' }] } });
    expect(run.report.status).toBe("SUCCEEDED");
    expect(run.report.result).toEqual({ sent: { to: "approver", withId: true }, answer: '"early"' });
    // The Task at the await invoked the relay once, which sent the kept answer at once: no timeout ran.
    expect(run.result.history.filter((e) => e.type === "TaskTimedOut")).toEqual([]);
  }, SLOW);

  it("a callback created but never awaited counts as used: no warning about its name, one about a typo", async () => {
    const never = await runCompiled(handler, { event: { mode: "fails" }, callbacks: { "awaiting-approval": [{ timeout: true }] } });
    expect(never.report.status).toBe("FAILED");
    expect(never.unusedCallbacks).toEqual([]);
    const typo = await runCompiled(handler, { event: { mode: "fails" }, callbacks: { "awaiting-approvl": [{ timeout: true }] } });
    expect(typo.unusedCallbacks).toEqual(["awaiting-approvl"]);
  }, SLOW);
});
