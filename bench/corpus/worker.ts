/**
 * One corpus worker process: checks the files the runner sends, one at a time, and answers each
 * over IPC. The runner holds the per-file timeout and kills a worker that overruns it, so a handler
 * that hangs (or the SDK's fake clock, which this process installs) cannot stall the run.
 */
import { closeOracle } from "../../harness/index.ts";
import { checkFile, type FileOutcome } from "./check-file.ts";
import type { WorkerReply, WorkerRequest } from "./pool.ts";

process.on("message", (request: WorkerRequest) => {
  const compiled = (outcome: FileOutcome) => process.send!({ id: request.id, compiled: structuredClone(outcome) } satisfies WorkerReply);
  void checkFile(request.file, request.projectRoot, request.verify, compiled).then(
    (outcome) => process.send!({ id: request.id, outcome } satisfies WorkerReply),
    (err: unknown) => process.send!({ id: request.id, failure: err instanceof Error ? `${err.name}: ${err.message.split("\n")[0]}` : String(err) } satisfies WorkerReply),
  );
});
process.on("disconnect", () => {
  void closeOracle().finally(() => process.exit(0));
});
