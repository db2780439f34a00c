import type { FileOutcome, VerifyOutcome } from "./check-file.ts";

/** One line of the runner's JSONL output: a manifest file and what became of it. */
export interface CorpusRecord {
  corpus: string;
  repo: string;
  commit: string;
  path: string;
  /**
   * compiled / refused (an error diagnostic) / crash (an exception out of the compiler) /
   * timeout / failed (the worker died or threw) / missing (no mirror, commit or file here).
   */
  status: "compiled" | "refused" | "crash" | "timeout" | "failed" | "missing";
  outcome?: FileOutcome;
  /** Why failed, timed out or missing. */
  reason?: string;
  /** Relative imports of the handler that name no file of the commit. */
  unresolved?: string[];
  seconds: number;
}

/** A file's verify outcome: equal when every handler is equal, differ when any differs, else not comparable. */
export function fileVerifyOutcome(record: CorpusRecord): VerifyOutcome | undefined {
  const verifications = record.outcome?.verify;
  if (!verifications) return undefined;
  if (verifications.some((v) => v.outcome === "differ")) return "differ";
  if (verifications.every((v) => v.outcome === "equal")) return "equal";
  return "not comparable";
}
