import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface OutputDifference {
  /** Path relative to the compared folders. */
  file: string;
  kind: "differs" | "missing" | "extra";
}

/**
 * What `build --check` reports: files of a fresh build (`fresh`) that are not byte for byte the
 * committed ones (`committed`): changed, missing from the committed folder, or left over in it.
 */
export function diffOutputs(fresh: string, committed: string): OutputDifference[] {
  const freshFiles = listFiles(fresh);
  const committedFiles = existsSync(committed) ? listFiles(committed) : [];
  const differences: OutputDifference[] = [];
  for (const file of freshFiles) {
    if (!committedFiles.includes(file)) differences.push({ file, kind: "missing" });
    else if (!readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(committed, file)))) differences.push({ file, kind: "differs" });
  }
  for (const file of committedFiles) if (!freshFiles.includes(file)) differences.push({ file, kind: "extra" });
  return differences;
}

function listFiles(root: string, dir = ""): string[] {
  return readdirSync(path.join(root, dir))
    .sort()
    .flatMap((name) => {
      const relative = path.join(dir, name);
      return statSync(path.join(root, relative)).isDirectory() ? listFiles(root, relative) : [relative];
    });
}
