import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import {
  listBatches,
  loadBatch,
  quarantineBatch,
  remainingBacklog,
  repairBatch,
  throttleSeconds,
  validateBatch,
  type PipelineEvent,
} from "./batches.ts";

export interface PipelineSummary {
  pipelineId: string;
  status: "complete" | "halted";
  loadedRows: number;
  repairedRows: number;
  droppedRows: number;
  skippedEmpty: number;
  quarantined: string[];
  tables: string[];
  compactionPolls: number;
}

/**
 * Batch ingestion: list the batches of a source, validate each one, repair or quarantine what is
 * bad, load the rest into staging tables with a throttling pause between loads, then poll the
 * warehouse until it has compacted the new data.
 */
export const handler = withDurableExecution(async (event: PipelineEvent, context: DurableContext): Promise<PipelineSummary> => {
  const manifest = await context.step("list-batches", async () => listBatches(event));
  const perThousand = event.throttlePerThousandRows ?? 2;

  let loadedRows = 0;
  let repairedRows = 0;
  let droppedRows = 0;
  let skippedEmpty = 0;
  const quarantined: string[] = [];
  const tables: string[] = [];
  let halted = false;

  for (const batch of manifest.batches) {
    if (batch.rows === 0) {
      skippedEmpty++;
      continue;
    }
    const report = await context.step("validate-batch", async () => validateBatch(event, batch));
    let dropped = 0;
    switch (report.verdict) {
      case "needs-repair": {
        const repair = await context.step("repair-batch", async () => repairBatch(batch, report));
        repairedRows += repair.repairedRows;
        dropped = repair.droppedRows;
      }
      // falls through: a repaired batch is loaded like a clean one
      case "ok": {
        const load = await context.step("load-batch", async () => loadBatch(batch, dropped), {
          retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 5 }, jitter: JitterStrategy.NONE }),
        });
        loadedRows += load.loadedRows;
        droppedRows += dropped;
        if (!tables.includes(load.table)) tables.push(load.table);
        break;
      }
      case "quarantine": {
        const location = await context.step("quarantine-batch", async () => quarantineBatch(batch));
        quarantined.push(location);
        continue; // nothing was loaded: no throttling pause
      }
      case "halt":
        halted = true;
        break;
    }
    if (halted) break;
    await context.wait("throttle", { seconds: throttleSeconds(batch.rows, perThousand) });
  }

  let polls = 0;
  if (!halted) {
    let backlog = await context.step("check-compaction", async () => remainingBacklog(event, polls));
    while (backlog > 0 && polls < 5) {
      polls++;
      await context.wait("compaction-backoff", { seconds: 30 * 2 ** (polls - 1) });
      backlog = await context.step("check-compaction", async () => remainingBacklog(event, polls));
    }
  }

  return {
    pipelineId: manifest.pipelineId,
    status: halted ? "halted" : "complete",
    loadedRows,
    repairedRows,
    droppedRows,
    skippedEmpty,
    quarantined,
    tables,
    compactionPolls: polls,
  };
});
