import path from "node:path";
import { withoutExtension } from "./source-name.ts";
import type { CompiledHandler } from "../types.ts";
import { defaultName, fragmentsFunctionName, stateMachineName } from "./template.ts";

export interface OutputNames {
  /** The handler's folder inside `--out`. */
  folder: string;
  /** The state machine's default name in template.yaml; the fragments function's follows from it. */
  machine: string;
}

/**
 * Folder and state machine name of each handler of one build, distinct and the same on every
 * build of the same files, in whatever order they are given: names are handed out in the order of
 * the files' paths (then the handlers' names), not of the arguments. A handler gets `<handler-name>/` and `<file>-<handler-name>`; when
 * an earlier handler took either, it gets one that names where it comes from
 * (`<file or folder>-<handler-name>/`, `<folder>-<file>-<handler-name>`), and a counter when that
 * is taken too. Folders are compared regardless of case (macOS and Windows file systems); machine
 * names also by the fragments function name they lead to, which is cut shorter.
 */
export function outputNames(handlers: CompiledHandler[]): OutputNames[] {
  const folders = new Set<string>();
  const machines = new Set<string>();
  const functions = new Set<string>();
  const byPath = [...handlers].sort((a, b) => compare(a.file, b.file) || compare(a.name, b.name));
  const names = new Map(byPath.map((handler) => {
    const folder = firstFree([handler.name, `${sourceLabel(handler.file)}-${handler.name}`], (f) => f, (f) => !folders.has(f.toLowerCase()));
    folders.add(folder.toLowerCase());
    const machine = firstFree(
      [defaultName(handler), `${path.basename(path.dirname(handler.file))}-${defaultName(handler)}`],
      (m) => stateMachineName([m]),
      (m) => !machines.has(m) && !functions.has(fragmentsFunctionName(m)),
    );
    machines.add(machine);
    functions.add(fragmentsFunctionName(machine));
    return [handler, { folder, machine }];
  }));
  return handlers.map((handler) => names.get(handler)!);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The first candidate (made valid by `fit`) that is free, else the last one with a counter. */
function firstFree(candidates: string[], fit: (name: string) => string, free: (name: string) => boolean): string {
  for (const c of candidates) if (free(fit(c))) return fit(c);
  for (let i = 2; ; i++) {
    const numbered = fit(`${candidates.at(-1)}-${i}`);
    if (free(numbered)) return numbered;
  }
}

/** What tells two handlers of the same name apart: the file's name, or its folder's for `handler.ts` / `index.ts`. */
function sourceLabel(file: string): string {
  const stem = withoutExtension(path.basename(file));
  return stem === "handler" || stem === "index" ? path.basename(path.dirname(file)) : stem;
}
