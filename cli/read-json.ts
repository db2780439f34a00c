import { readFileSync } from "node:fs";
import { shapeProblems } from "../asl/index.ts";
import { parseScenario, type Scenario } from "../runtime/emulator/index.ts";
import { UsageError } from "./exit.ts";

/** Why a file the user named could not be read or written, in words (Node's codes mean little to most people). */
export function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (err as Error).message;
}

/** Reads a JSON file the user named; a missing file or bad JSON is a usage error, not a stack trace. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${what} file ${file}: ${fileProblem(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Reads a state machine definition: at least a JSON object with a `States` object whose states
 * (and branches and item processors) are objects, which is what every command needs before it can
 * look further. The definition checks say what else is wrong.
 */
export function readStateMachineFile(file: string): Record<string, unknown> {
  const value = readJsonFile(file, "state machine");
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? undefined : `a ${typeof value}`;
  if (kind) throw new UsageError(`${file}: not a state machine definition (it is ${kind}; expected a JSON object with "StartAt" and "States")`);
  const states = (value as Record<string, unknown>).States;
  if (states === null || typeof states !== "object" || Array.isArray(states)) {
    throw new UsageError(`${file}: not a state machine definition (it has no "States" object)`);
  }
  const [problem] = shapeProblems(value);
  if (problem) throw new UsageError(`${file}: not a state machine definition (${problem.path}: ${problem.message})`);
  return value as Record<string, unknown>;
}

/** Reads a scenario file (run --scenario, verify --scenario); a bad field is a usage error naming it. */
export function readScenarioFile(file: string): Scenario {
  return parseScenario(readJsonFile(file, "scenario"), file);
}
