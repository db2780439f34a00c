import * as sdk from "@aws/durable-execution-sdk-js";
import { describe, expect, it } from "vitest";
import { batchInput, decodeBatch, type RawBatch } from "../../runtime/fragments/batch.ts";

/**
 * The BatchResult a Map or Parallel state's outcomes stand for: decided in the order the items
 * ended (their `ended` times), as the SDK's concurrent executor decides it, not in index order.
 */
const ok = (ended: number, result: unknown) => ({ status: "SUCCEEDED" as const, result, ended });
const bad = (ended: number) => ({ status: "FAILED" as const, error: { kind: "code" as const, Error: "Error", Cause: "boom" }, ended });
const decide = (raw: RawBatch) => {
  const r = decodeBatch(raw, sdk as never);
  return { reason: r.completionReason, statuses: r.all.map((i) => `${i.index}:${i.status}`), counts: [r.successCount, r.failureCount, r.startedCount, r.totalCount] };
};

describe("batch completion in the order items ended", () => {
  it("fail-fast: a failure that ends last leaves the earlier successes SUCCEEDED", () => {
    expect(decide({ outcomes: [bad(5000), ok(0, 1)], completion: null, maxConcurrency: null })).toEqual({
      reason: "FAILURE_TOLERANCE_EXCEEDED",
      statuses: ["0:FAILED", "1:SUCCEEDED"],
      counts: [1, 1, 0, 2],
    });
  });

  it("fail-fast: a failure that ends first leaves the others STARTED, whatever their index", () => {
    expect(decide({ outcomes: [ok(3000, "a"), ok(2000, "b"), bad(1000)], completion: null, maxConcurrency: null })).toEqual({
      reason: "FAILURE_TOLERANCE_EXCEEDED",
      statuses: ["0:STARTED", "1:STARTED", "2:FAILED"],
      counts: [0, 1, 2, 3],
    });
  });

  it("tolerated failures exceeded before a slower success", () => {
    const raw = { outcomes: [bad(0), ok(2000, "b"), bad(0)], completion: { toleratedFailureCount: 1 }, maxConcurrency: null };
    expect(decide(raw)).toEqual({ reason: "FAILURE_TOLERANCE_EXCEEDED", statuses: ["0:FAILED", "1:STARTED", "2:FAILED"], counts: [0, 2, 1, 3] });
  });

  it("minSuccessful reached by the item that ended first", () => {
    const raw = { outcomes: [ok(5000, "slow"), ok(1000, "fast")], completion: { minSuccessful: 1 }, maxConcurrency: null };
    expect(decide(raw)).toEqual({ reason: "MIN_SUCCESSFUL_REACHED", statuses: ["0:STARTED", "1:SUCCEEDED"], counts: [1, 0, 1, 2] });
  });

  it("maxConcurrency: one more item starts for each item that ended before the decision; the rest are left out", () => {
    const raw = { outcomes: [ok(1000, "a"), bad(1500), ok(9000, "c"), ok(9500, "d")], completion: null, maxConcurrency: 2 };
    expect(decide(raw)).toEqual({ reason: "FAILURE_TOLERANCE_EXCEEDED", statuses: ["0:SUCCEEDED", "1:FAILED", "2:STARTED"], counts: [1, 1, 1, 3] });
  });

  it("equal times and outcomes without a time are taken in index order", () => {
    expect(decide({ outcomes: [ok(7, "a"), bad(7), ok(7, "c")], completion: null, maxConcurrency: null }).statuses).toEqual(["0:SUCCEEDED", "1:FAILED", "2:STARTED"]);
    const untimed = [{ status: "FAILED" as const, error: { kind: "code" as const, Error: "Error", Cause: "x" } }, { status: "SUCCEEDED" as const, result: 1 }];
    expect(decide({ outcomes: untimed, completion: null, maxConcurrency: null }).statuses).toEqual(["0:FAILED", "1:STARTED"]);
  });

  it("no items: ALL_COMPLETED and nothing in it", () => {
    expect(decide({ outcomes: [], completion: { minSuccessful: 1 }, maxConcurrency: null })).toEqual({ reason: "ALL_COMPLETED", statuses: [], counts: [0, 0, 0, 0] });
  });
});

describe("parallel branches built from items", () => {
  it("are named as the SDK names unnamed branches, and take the completion config", () => {
    expect(batchInput(["x", "y"], { completionConfig: { minSuccessful: 1 } }, "parallel")).toEqual({
      items: [{ value: "x", name: "parallel-branch-0" }, { value: "y", name: "parallel-branch-1" }],
      completion: { minSuccessful: 1 },
    });
  });

  it("throw as `items.map` throws in the handler when items is not an array", () => {
    const handlerError = (items: unknown) => {
      try {
        (items as unknown[]).map((i) => i);
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(() => batchInput(undefined, undefined, "parallel")).toThrow(handlerError(undefined));
    expect(() => batchInput(null, undefined, "parallel")).toThrow(handlerError(null));
  });
});
