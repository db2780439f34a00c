import type { ErrorRecord } from "../../protocol/index.ts";
import { toError, type SdkErrorClasses } from "./errors.ts";

/**
 * The BatchResult of `map` and `parallel`.
 *
 * A Map or Parallel state leaves `{"__d2s_batch": {outcomes, completion, maxConcurrency}}`: one
 * `{status, result | error}` per item, in index order, and the completion thresholds. A fragment
 * that reads it gets a BatchResult with the SDK's fields and methods. Completion is decided as
 * the SDK decides it after each item ends, taking the items as ending in index order: when the
 * thresholds end the batch early, the items after that point are reported STARTED (those that
 * were running) or left out (never started), as the SDK reports them. Which items the SDK finds
 * still running depends on timing; index order is the outcome where items end in turn.
 */

type ItemStatus = "SUCCEEDED" | "FAILED" | "STARTED";
type CompletionReason = "ALL_COMPLETED" | "MIN_SUCCESSFUL_REACHED" | "FAILURE_TOLERANCE_EXCEEDED";

export interface BatchItem {
  result?: unknown;
  error?: Error;
  index: number;
  status: ItemStatus;
}

interface Completion {
  minSuccessful?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

interface Outcome {
  status: "SUCCEEDED" | "FAILED";
  result?: unknown;
  error?: ErrorRecord;
}

/** What a Map or Parallel state leaves (see states.ts, emitBatch). */
export interface RawBatch {
  outcomes: Outcome[];
  completion: Completion | null;
  maxConcurrency: number | null;
}

export class BatchResult {
  constructor(
    readonly all: BatchItem[],
    readonly completionReason: CompletionReason,
  ) {}

  succeeded(): BatchItem[] {
    return this.all.filter((item) => item.status === "SUCCEEDED" && item.result !== undefined);
  }
  failed(): BatchItem[] {
    return this.all.filter((item) => item.status === "FAILED" && item.error !== undefined);
  }
  started(): BatchItem[] {
    return this.all.filter((item) => item.status === "STARTED");
  }
  get hasFailure(): boolean {
    return this.all.some((item) => item.status === "FAILED");
  }
  get status(): "SUCCEEDED" | "FAILED" {
    return this.hasFailure ? "FAILED" : "SUCCEEDED";
  }
  throwIfError(): void {
    const first = this.all.find((item) => item.status === "FAILED")?.error;
    if (first) throw first;
  }
  getResults(): unknown[] {
    return this.succeeded().map((item) => item.result);
  }
  getErrors(): Error[] {
    return this.failed().map((item) => item.error!);
  }
  get successCount(): number {
    return this.all.filter((item) => item.status === "SUCCEEDED").length;
  }
  get failureCount(): number {
    return this.all.filter((item) => item.status === "FAILED").length;
  }
  get startedCount(): number {
    return this.all.filter((item) => item.status === "STARTED").length;
  }
  get totalCount(): number {
    return this.all.length;
  }
}

/**
 * The code before a Map or Parallel state: the items with their names, and the completion
 * thresholds. Items that are not an array fail as under the SDK, which reads `items.length` (a
 * TypeError for null or undefined) and then refuses any other non-array, before the operation
 * starts.
 */
export function batchInput(
  items: unknown,
  config: { itemNamer?: (item: unknown, index: number) => string; completionConfig?: Completion } | undefined,
): { items: { value: unknown; name: string }[]; completion: Completion | null } {
  void (items as { length: unknown }).length;
  if (!Array.isArray(items)) throw new Error("Map operation requires an array of items");
  const named = items.map((value, index) => ({ value, name: config?.itemNamer ? config.itemNamer(value, index) : `map-item-${index}` }));
  return { items: named, completion: config?.completionConfig ?? null };
}

/** The SDK's reading of the thresholds after `done` of `total` items ended; undefined: go on. */
function reasonAfter(succeeded: number, failed: number, done: number, total: number, completion: Completion | null): CompletionReason | undefined {
  const criteria = completion && Object.values(completion).some((v) => v !== undefined);
  if (!criteria) {
    if (failed > 0) return "FAILURE_TOLERANCE_EXCEEDED";
  } else {
    if (completion.toleratedFailureCount !== undefined && failed > completion.toleratedFailureCount) return "FAILURE_TOLERANCE_EXCEEDED";
    if (completion.toleratedFailurePercentage !== undefined && (failed / total) * 100 > completion.toleratedFailurePercentage) return "FAILURE_TOLERANCE_EXCEEDED";
  }
  if (done === total) return "ALL_COMPLETED";
  if (completion?.minSuccessful !== undefined && succeeded >= completion.minSuccessful) return "MIN_SUCCESSFUL_REACHED";
  return undefined;
}

function decide(raw: RawBatch, sdk: SdkErrorClasses): BatchResult {
  const total = raw.outcomes.length;
  const running = raw.maxConcurrency ?? total;
  const all: BatchItem[] = [];
  let succeeded = 0;
  let failed = 0;
  for (const [index, outcome] of raw.outcomes.entries()) {
    if (outcome.status === "SUCCEEDED") {
      succeeded++;
      all.push({ result: outcome.result, index, status: "SUCCEEDED" });
    } else {
      failed++;
      all.push({ error: toError(outcome.error!, sdk), index, status: "FAILED" });
    }
    const reason = reasonAfter(succeeded, failed, index + 1, total, raw.completion);
    if (reason !== undefined) {
      // Items started while this one ran are still running; the rest never start.
      for (let later = index + 1; later < Math.min(total, index + running); later++) all.push({ index: later, status: "STARTED" });
      return new BatchResult(all, reason);
    }
  }
  return new BatchResult(all, "ALL_COMPLETED");
}

/** The BatchResult a Map or Parallel state's marker stands for, decided here from its raw outcomes. (Once decided, a BatchResult kept in a local travels as a class instance: values.ts.) */
export function decodeBatch(body: RawBatch, sdk: SdkErrorClasses): BatchResult {
  return decide(body, sdk);
}
