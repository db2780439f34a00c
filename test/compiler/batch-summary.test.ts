import * as sdk from "@aws/durable-execution-sdk-js";
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { batchMarkerJsonata } from "../../compiler/transform/batch-summary.ts";
import { batchResults } from "../../compiler/transform/jsonata-batch.ts";
import { decodeBatch, type RawBatch } from "../../runtime/fragments/batch.ts";

/**
 * The batch a Map or Parallel state decides in JSONata (batch-summary.ts) against the one the
 * fragments decide (runtime/fragments/batch.ts) from the same outcomes: every completion
 * reason, count and result list, over outcomes, thresholds and maxConcurrency of every kind,
 * with items ending in index order or in another (their `ended` times).
 */
const error = { kind: "child", Error: "ChildContextError", Cause: "no", inner: { kind: "step", Error: "StepError", Cause: "no" } };
const RESULTS: unknown[] = [1, "a", null, [1, [2]], [], { k: [3] }, undefined];
const COMPLETIONS: unknown[] = [
  null,
  {},
  { toleratedFailureCount: 0 },
  { toleratedFailureCount: 1 },
  { toleratedFailurePercentage: 0 },
  { toleratedFailurePercentage: 34 },
  { toleratedFailurePercentage: 100 },
  { minSuccessful: 1 },
  { minSuccessful: 2, toleratedFailureCount: 1 },
  { minSuccessful: 3, toleratedFailurePercentage: 50 },
  { other: true },
];

/** A small seeded generator, so that a failure names its case. */
function* cases(): Generator<RawBatch> {
  let seed = 7;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (const completion of COMPLETIONS) {
    for (const maxConcurrency of [null, 1, 2, 5]) {
      for (let k = 0; k < 12; k++) {
        // Half of the batches say when each item ended (ties included): the batch is then decided in that order.
        const timed = next(2) === 0;
        const outcomes = Array.from({ length: next(6) }, () => ({
          ...(next(3) === 0 ? { status: "FAILED" as const, error } : { status: "SUCCEEDED" as const, ...(next(7) === 6 ? {} : { result: RESULTS[next(6)] }) }),
          ...(timed ? { ended: 1000 + next(4) } : {}),
        }));
        yield { outcomes: outcomes as RawBatch["outcomes"], completion: completion as RawBatch["completion"], maxConcurrency };
      }
    }
  }
}

describe("the batch decided in JSONata", () => {
  it("is the batch the fragments decide, for every reason, count and result", async () => {
    let count = 0;
    for (const raw of cases()) {
      const bindings = { completion: raw.completion, maxConcurrency: raw.maxConcurrency };
      const marker = `(${batchMarkerJsonata("$completion", "$maxConcurrency")})`;
      const out = (await jsonata(`($b := ${marker}; {"body": $b.__d2s_batch, "results": ${batchResults("$b.__d2s_batch")}})`).evaluate({}, { ...bindings, states: { result: raw.outcomes } })) as {
        body: Record<string, unknown>;
        results: unknown[];
      };
      const batch = decodeBatch(JSON.parse(JSON.stringify(raw)), sdk as never);
      const label = JSON.stringify(raw);
      expect({ label, ...pick(out.body) }).toEqual({
        label,
        completionReason: batch.completionReason,
        successCount: batch.successCount,
        failureCount: batch.failureCount,
        startedCount: batch.startedCount,
        totalCount: batch.totalCount,
      });
      expect({ label, results: out.results }).toEqual({ label, results: JSON.parse(JSON.stringify(batch.getResults())) });
      count++;
    }
    expect(count).toBe(COMPLETIONS.length * 4 * 12);
  });

  it("leaves the decision to the fragments where a threshold is no number", async () => {
    for (const completion of [{ toleratedFailureCount: "1" }, { minSuccessful: null }, { toleratedFailurePercentage: [5] }]) {
      const marker = `(${batchMarkerJsonata("$completion", "null")})`;
      const body = (await jsonata(`${marker}.__d2s_batch`).evaluate({}, { completion, states: { result: [{ status: "SUCCEEDED", result: 1 }] } })) as Record<string, unknown>;
      expect(body).toEqual({ outcomes: [{ status: "SUCCEEDED", result: 1 }], completion, maxConcurrency: null });
    }
  });
});

function pick(body: Record<string, unknown>): Record<string, unknown> {
  const { completionReason, successCount, failureCount, startedCount, totalCount } = body;
  return { completionReason, successCount, failureCount, startedCount, totalCount };
}
