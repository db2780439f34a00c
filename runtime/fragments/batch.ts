import type { ErrorRecord } from "../../protocol/index.ts";
import { toError, type SdkErrorClasses } from "./errors.ts";

/**
 * The BatchResult of `map` and `parallel`.
 *
 * A Map or Parallel state leaves `{"__d2s_batch": {outcomes, completion, maxConcurrency}}`: one
 * `{status, result | error}` per item, in index order, and the completion thresholds. A fragment
 * that reads it gets a BatchResult with the SDK's fields and methods. Completion is decided as
 * the SDK decides it after each item ends, in the order the items ended (decide): when the
 * thresholds end the batch early, the items not ended by then are reported STARTED (those that
 * were running) or left out (never started), as the SDK reports them.
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
  /** When the item ended (the state machine's clock, ms): the order the SDK sees items end in. */
  ended?: number;
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
 * thresholds. Map items that are not an array fail as under the SDK, which reads `items.length`
 * (a TypeError for null or undefined) and then refuses any other non-array, before the operation
 * starts. Parallel branches built by `items.map(...)` (lower/built-branches.ts) are mapped here
 * as the handler maps them, so a bad `items` throws the same error; they are named as the SDK
 * names a branch without a name.
 */
export function batchInput(
  items: unknown,
  config: { itemNamer?: (item: unknown, index: number) => string; completionConfig?: Completion } | undefined,
  kind: "map" | "parallel" = "map",
): { items: { value: unknown; name: string }[]; completion: Completion | null } {
  const completion = config?.completionConfig ?? null;
  if (kind === "parallel") return { items: (items as unknown[]).map((value, index) => ({ value, name: `parallel-branch-${index}` })), completion };
  void (items as { length: unknown }).length;
  if (!Array.isArray(items)) throw new Error("Map operation requires an array of items");
  const named = items.map((value, index) => ({ value, name: config?.itemNamer ? config.itemNamer(value, index) : `map-item-${index}` }));
  return { items: named, completion };
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

/**
 * Completion as the SDK decides it (its concurrent executor): after each item ends, in the order
 * items ended (their `ended` time; index order among equal times, and for outcomes without one),
 * the thresholds are read; when they end the batch, the items started by then (the first
 * `maxConcurrency`, and one more for each item that ended before) and not ended are STARTED,
 * the rest never started and are left out. `all` is in index order.
 */
function decide(raw: RawBatch, sdk: SdkErrorClasses): BatchResult {
  const total = raw.outcomes.length;
  const running = raw.maxConcurrency ?? total;
  const order = raw.outcomes.map((_, index) => index).sort((a, b) => (raw.outcomes[a].ended ?? 0) - (raw.outcomes[b].ended ?? 0) || a - b);
  const ended = new Set<number>();
  let succeeded = 0;
  let failed = 0;
  let reason: CompletionReason = "ALL_COMPLETED";
  for (const index of order) {
    ended.add(index);
    if (raw.outcomes[index].status === "SUCCEEDED") succeeded++;
    else failed++;
    const decided = reasonAfter(succeeded, failed, ended.size, total, raw.completion);
    if (decided !== undefined) {
      reason = decided;
      break;
    }
  }
  const started = Math.min(total, running + ended.size - 1);
  const all: BatchItem[] = [];
  for (let index = 0; index < Math.max(started, ended.size); index++) {
    const outcome = raw.outcomes[index];
    if (!ended.has(index)) all.push({ index, status: "STARTED" });
    else if (outcome.status === "SUCCEEDED") all.push({ result: outcome.result, index, status: "SUCCEEDED" });
    else all.push({ error: toError(outcome.error!, sdk), index, status: "FAILED" });
  }
  return new BatchResult(all, reason);
}

/** The BatchResult a Map or Parallel state's marker stands for, decided here from its raw outcomes. (Once decided, a BatchResult kept in a local travels as a class instance: values.ts.) */
export function decodeBatch(body: RawBatch, sdk: SdkErrorClasses): BatchResult {
  return decide(body, sdk);
}
