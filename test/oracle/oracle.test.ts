import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { closeOracle, OracleError, runOnSdk } from "../../harness/oracle/index.ts";
import { realNow } from "../../harness/oracle/real-time.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";
import type { OperationRecord, Trace } from "../../harness/compare/index.ts";

// One environment for the whole file (the SDK's fake clock is process-wide; runs are sequential).
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/handlers/${name}.ts`, import.meta.url));
const run = (name: string, scenario: Scenario = {}) => runOnSdk(fixture(name), scenario, { keepEnvironment: true });

afterAll(async () => {
  await closeOracle();
});

const step = (name: string | null, attempts = 1, status: "SUCCEEDED" | "FAILED" = "SUCCEEDED"): OperationRecord => ({
  kind: "step",
  name,
  status,
  attempts,
});

describe("runOnSdk", () => {
  it("records named and unnamed steps and the result", async () => {
    expect(await run("steps", { event: { n: 5 } })).toEqual<Trace>({
      status: "SUCCEEDED",
      result: { doubled: 10, plusOne: 11 },
      operations: [step("double"), step(null)],
    });
  });

  it("counts the attempts of a step that succeeds on attempt 3", async () => {
    expect(await run("retry-then-succeed")).toEqual<Trace>({
      status: "SUCCEEDED",
      result: "ok on attempt 3",
      operations: [step("flaky", 3)],
    });
  });

  it("fails with StepError when a step fails past its retries", async () => {
    expect(await run("retry-exhausted")).toEqual<Trace>({
      status: "FAILED",
      error: { errorType: "StepError", errorMessage: "boom on attempt 3" },
      operations: [step("ok-first"), step("doomed", 3, "FAILED")],
    });
  });

  it("records waits with their durations", async () => {
    expect(await run("wait")).toEqual<Trace>({
      status: "SUCCEEDED",
      result: "done",
      operations: [
        step("before"),
        { kind: "wait", name: "cool-off", status: "SUCCEEDED", waitSeconds: 86400 },
        { kind: "wait", name: null, status: "SUCCEEDED", waitSeconds: 90 },
        step("after"),
      ],
    });
  });

  it("answers a waitForCallback with success", async () => {
    const trace = await run("wait-for-callback", {
      event: { orderId: "o-1" },
      callbacks: { approval: [{ success: '{"approved":true}' }] },
    });
    expect(trace).toEqual<Trace>({
      status: "SUCCEEDED",
      result: { orderId: "o-1", answer: { approved: true } },
      operations: [step("prepare"), { kind: "waitForCallback", name: "approval", status: "SUCCEEDED" }],
    });
  });

  it("answers a waitForCallback with failure: CallbackExternalError with the sender's message", async () => {
    const trace = await run("wait-for-callback", {
      event: { orderId: "o-1" },
      callbacks: { approval: [{ failure: { errorType: "Rejected", errorMessage: "no way" } }] },
    });
    expect(trace).toEqual<Trace>({
      status: "FAILED",
      error: { errorType: "CallbackExternalError", errorMessage: "no way" },
      operations: [step("prepare"), { kind: "waitForCallback", name: "approval", status: "FAILED" }],
    });
  });

  it("times out a 7-day callback in well under a second of real time", async () => {
    const started = realNow();
    const trace = await run("wait-for-callback", { event: { orderId: "o-1" }, callbacks: { approval: [{ timeout: true }] } });
    const seconds = (realNow() - started) / 1000;
    expect(trace).toEqual<Trace>({
      status: "FAILED",
      error: { errorType: "CallbackTimeoutError", errorMessage: "Callback timed out" },
      operations: [step("prepare"), { kind: "waitForCallback", name: "approval", status: "TIMED_OUT" }],
    });
    expect(seconds).toBeLessThan(2);
  });

  it("takes answers in order of occurrence for a name repeated in a loop", async () => {
    const trace = await run("callback-loop", { callbacks: { review: [{ timeout: true }, { success: "second" }] } });
    expect(trace).toEqual<Trace>({
      status: "SUCCEEDED",
      result: ["CallbackTimeoutError: Callback timed out", "second"],
      operations: [
        { kind: "waitForCallback", name: "review", status: "TIMED_OUT" },
        step("record-1"),
        { kind: "waitForCallback", name: "review", status: "SUCCEEDED" },
        step("record-2"),
      ],
    });
    const reversed = await run("callback-loop", { callbacks: { review: [{ success: "first" }, { timeout: true }] } });
    expect(reversed.result).toEqual(["first", "CallbackTimeoutError: Callback timed out"]);
  });

  it("answers named and unnamed createCallback operations", async () => {
    const trace = await run("create-callback", { callbacks: { manual: [{ success: "hello" }], "": [{ success: "anon" }] } });
    expect(trace).toEqual<Trace>({
      status: "SUCCEEDED",
      result: { first: "hello", second: "anon" },
      operations: [
        { kind: "createCallback", name: "manual", status: "SUCCEEDED" },
        step("send-id"),
        { kind: "createCallback", name: null, status: "SUCCEEDED" },
      ],
    });
  });

  it("times out a createCallback that has no answer left", async () => {
    const trace = await run("create-callback", { callbacks: { manual: [{ success: "hello" }] } });
    expect(trace).toEqual<Trace>({
      status: "FAILED",
      error: { errorType: "CallbackTimeoutError", errorMessage: "Callback timed out" },
      operations: [
        { kind: "createCallback", name: "manual", status: "SUCCEEDED" },
        step("send-id"),
        { kind: "createCallback", name: null, status: "TIMED_OUT" },
      ],
    });
  });

  it("records parallel branches and map items as child records", async () => {
    const trace = await run("parallel-map", { event: { items: [1, 2, 3] } });
    const item = (i: number): OperationRecord => ({ kind: "childContext", name: `map-item-${i}`, status: "SUCCEEDED", children: [step(null)] });
    expect(trace).toEqual<Trace>({
      status: "SUCCEEDED",
      result: { par: ["L", "R"], mapped: [1, 4, 9], mapStatus: "SUCCEEDED" },
      operations: [
        {
          kind: "parallel",
          name: "fan-out",
          status: "SUCCEEDED",
          children: [
            { kind: "childContext", name: "left", status: "SUCCEEDED", children: [step("left-step")] },
            {
              kind: "childContext",
              name: "parallel-branch-1",
              status: "SUCCEEDED",
              children: [{ kind: "wait", name: null, status: "SUCCEEDED", waitSeconds: 30 }, step("right-step")],
            },
          ],
        },
        { kind: "map", name: "square", status: "SUCCEEDED", children: [item(0), item(1), item(2)] },
      ],
    });
  });

  it("records runInChildContext with its operations", async () => {
    expect(await run("child-context")).toEqual<Trace>({
      status: "SUCCEEDED",
      result: { inner: 43, other: "t" },
      operations: [
        {
          kind: "childContext",
          name: "checkout",
          status: "SUCCEEDED",
          children: [step("price"), { kind: "wait", name: "settle", status: "SUCCEEDED", waitSeconds: 5 }],
        },
        { kind: "childContext", name: null, status: "SUCCEEDED", children: [step("tag")] },
      ],
    });
  });

  it("keeps the class name of an error thrown outside steps", async () => {
    expect(await run("custom-error", { event: { amount: 500 } })).toEqual<Trace>({
      status: "FAILED",
      error: { errorType: "OrderRejectedError", errorMessage: "amount 500 is over the limit" },
      operations: [step("check")],
    });
    expect((await run("custom-error", { event: { amount: 5 } })).result).toBe("accepted");
  });

  it("rejects with OracleError when an unanswered callback has no timeout", async () => {
    await expect(run("callback-no-timeout")).rejects.toThrow(OracleError);
    // The environment is still usable afterwards.
    expect((await run("steps", { event: { n: 1 } })).status).toBe("SUCCEEDED");
  });

  /** Runs `body` as the oracle runs in a test file that runs side by side with others (vitest.config.ts). */
  async function sideBySide(body: () => Promise<void>): Promise<void> {
    process.env.D2S_TEST_SIDE_BY_SIDE = "1";
    try {
      await body();
    } finally {
      delete process.env.D2S_TEST_SIDE_BY_SIDE;
    }
  }

  it("refuses to time a callback out in a test file that runs side by side (D2S_TEST_SIDE_BY_SIDE), and answers callbacks there as usual", async () => {
    await sideBySide(async () => {
      await expect(run("wait-for-callback", { event: { orderId: "o-1" }, callbacks: { approval: [{ timeout: true }] } })).rejects.toThrow(
        /callback "approval" would time out, and D2S_TEST_SIDE_BY_SIDE is set: .*must run alone/,
      );
      const answered = await run("wait-for-callback", { event: { orderId: "o-1" }, callbacks: { approval: [{ success: '"yes"' }] } });
      expect(answered).toMatchObject({ status: "SUCCEEDED", result: { orderId: "o-1", answer: "yes" } });
    });
  });

  it("refuses an unanswered callback side by side too (it would time out)", async () => {
    await sideBySide(async () => {
      await expect(run("wait-for-callback", { event: { orderId: "o-1" } })).rejects.toThrow(/callback "approval" would time out/);
    });
  });

  it("rejects with OracleError for a module without a handler export", async () => {
    await expect(runOnSdk(fixture("steps"), {}, { exportName: "nope" })).rejects.toThrow(/no function export "nope"/);
  });
});
