import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { folderEntries, MARKER_FILE, type OutputFiles } from "../compiler/index.ts";

export interface OutputDifference {
  /** Path relative to the committed folder. */
  file: string;
  kind: "differs" | "missing" | "extra";
}

/**
 * What `build --check` reports: files of a fresh build (`fresh`, in memory) that are not byte
 * for byte the committed ones (the folder `committed`): changed, missing from the committed
 * folder, or left over in it. The build marker is not compared: it says who wrote the folder, not
 * what it holds, and outputs committed before there was a marker are still up to date.
 */
export function diffOutputs(fresh: OutputFiles, committed: string): OutputDifference[] {
  const committedFiles = existsSync(committed) && statSync(committed).isDirectory() ? folderEntries(committed).filter((f) => f !== MARKER_FILE) : [];
  const differences: OutputDifference[] = [];
  for (const [file, content] of Object.entries(fresh).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!committedFiles.includes(file)) differences.push({ file, kind: "missing" });
    else if (!readFileSync(path.join(committed, file)).equals(Buffer.from(content))) differences.push({ file, kind: "differs" });
  }
  for (const file of committedFiles) if (!(file in fresh)) differences.push({ file, kind: "extra" });
  return differences;
}
