import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Every ASL file the repository holds (goldens, samples, fixtures), by path, parsed. */
export const REPOSITORY_ASL: Array<[string, Record<string, unknown>]> = execFileSync("git", ["ls-files", "*.asl.json"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter(Boolean)
  .map((file) => [file, JSON.parse(readFileSync(path.join(ROOT, file), "utf8"))]);
