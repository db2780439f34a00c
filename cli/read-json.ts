import { readFileSync } from "node:fs";
import { UsageError } from "./main.ts";

/** Reads a JSON file the user named; a missing file or bad JSON is a usage error, not a stack trace. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${what} file ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}
