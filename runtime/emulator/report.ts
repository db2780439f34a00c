import type { RunReport } from "./scenario.ts";
import type { ExecutionResult } from "./types.ts";

/**
 * The `run --json` report (architecture.md, section 4) of an emulator result: ASL `Error`/`Cause`
 * become `errorType`/`errorMessage`; a timed-out execution reports FAILED with States.Timeout.
 */
export function toRunReport(result: ExecutionResult): RunReport {
  if (result.status === "SUCCEEDED") return { status: "SUCCEEDED", result: result.output, stats: result.stats };
  return {
    status: "FAILED",
    error: { errorType: result.error ?? "", errorMessage: result.cause ?? "" },
    stats: result.stats,
  };
}
