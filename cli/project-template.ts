import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_TEMPLATE_HEADER } from "../compiler/index.ts";
import type { OutputDifference } from "./output-diff.ts";

/** `<out>/template.yaml`: the one stack of every handler of a build of several (compiler/emit/project-template.ts). */
export const PROJECT_TEMPLATE = "template.yaml";

/**
 * Why the project template in `out` may not be replaced, or undefined: it is missing, or a file
 * an earlier build wrote (its first line says so). A template.yaml of the user's is never replaced.
 */
export function projectTemplateRefusal(out: string): string | undefined {
  const file = path.join(out, PROJECT_TEMPLATE);
  const stat = lstatOrUndefined(file);
  if (!stat) return undefined;
  if (!stat.isFile()) return `refusing to replace ${file}: it is not a file durable2sfn wrote; nothing was written`;
  if (!readFileSync(file, "utf8").startsWith(PROJECT_TEMPLATE_HEADER)) return `refusing to replace ${file}: durable2sfn did not write it; nothing was written`;
  return undefined;
}

/** Written beside, then renamed over: a reader never sees half a template. */
export function writeProjectTemplate(out: string, text: string): void {
  const file = path.join(out, PROJECT_TEMPLATE);
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/** What `build --check` reports for the project template. */
export function diffProjectTemplate(out: string, text: string): OutputDifference[] {
  const file = path.join(out, PROJECT_TEMPLATE);
  if (!lstatOrUndefined(file)?.isFile()) return [{ file: PROJECT_TEMPLATE, kind: "missing" }];
  return readFileSync(file, "utf8") === text ? [] : [{ file: PROJECT_TEMPLATE, kind: "differs" }];
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
