// Simulated storage and warehouse for the data pipeline. Deterministic: the manifest and every
// verdict are computed from the event.

export type BatchFormat = "csv" | "json" | "parquet";
export type Verdict = "ok" | "needs-repair" | "quarantine" | "halt";

export interface PipelineEvent {
  pipelineId: string;
  source: string;
  /** Row counts of the batches found under `source`, in order; 0 marks an empty file. */
  batchRows: number[];
  /** Verdicts forced for some batch indexes (others validate as "ok"). */
  verdicts?: Record<string, Verdict>;
  /** Seconds to pause per 1,000 rows loaded (throttling the warehouse). */
  throttlePerThousandRows?: number;
  /** Rows the warehouse still needs to compact after the load, and how many it compacts per poll. */
  compactionBacklog?: number;
  compactionPerPoll?: number;
}

export interface BatchRef {
  index: number;
  key: string;
  rows: number;
  format: BatchFormat;
}

export interface Manifest {
  pipelineId: string;
  batches: BatchRef[];
}

export interface ValidationReport {
  batchKey: string;
  verdict: Verdict;
  badRows: number;
}

const formats: BatchFormat[] = ["csv", "json", "parquet"];

export async function listBatches(event: PipelineEvent): Promise<Manifest> {
  return {
    pipelineId: event.pipelineId,
    batches: event.batchRows.map((rows, index) => ({
      index,
      key: `${event.source}/part-${String(index).padStart(4, "0")}.${formats[index % formats.length]}`,
      rows,
      format: formats[index % formats.length],
    })),
  };
}

export async function validateBatch(event: PipelineEvent, batch: BatchRef): Promise<ValidationReport> {
  const verdict = event.verdicts?.[String(batch.index)] ?? "ok";
  const badRows = verdict === "needs-repair" ? Math.ceil(batch.rows / 50) : verdict === "quarantine" ? batch.rows : 0;
  return { batchKey: batch.key, verdict, badRows };
}

export async function repairBatch(batch: BatchRef, report: ValidationReport): Promise<{ repairedRows: number; droppedRows: number }> {
  // One bad row in five cannot be repaired (parquet files are rewritten whole, so none is lost).
  const droppedRows = batch.format === "parquet" ? 0 : Math.floor(report.badRows / 5);
  return { repairedRows: report.badRows - droppedRows, droppedRows };
}

export async function loadBatch(batch: BatchRef, dropped: number): Promise<{ loadedRows: number; table: string }> {
  return { loadedRows: batch.rows - dropped, table: `staging_${batch.format}` };
}

export async function quarantineBatch(batch: BatchRef): Promise<string> {
  return `s3://quarantine/${batch.key.replace(/^s3:\/\//, "")}`;
}

export function throttleSeconds(rows: number, perThousand: number): number {
  return Math.max(1, Math.ceil((rows / 1000) * perThousand));
}

export async function remainingBacklog(event: PipelineEvent, polls: number): Promise<number> {
  const backlog = event.compactionBacklog ?? 0;
  const perPoll = event.compactionPerPoll ?? backlog;
  return Math.max(0, backlog - perPoll * polls);
}
