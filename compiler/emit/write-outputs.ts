import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MARKER_FILE, parseMarker, type BuildMarker, type OutputFiles } from "./output-files.ts";

/** One handler folder to (re)place: `dir` directly inside the output folder. */
export interface PlannedOutput {
  dir: string;
  files: OutputFiles;
  marker: BuildMarker;
}

/** Why the outputs could not be written (the message says whether anything changed); `usage` when the output folder is not a folder (a bad flag). */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

/**
 * Writes every planned folder into `out`, all or nothing, replacing only what an earlier build
 * wrote (see `refusal`). Everything is staged in a folder inside `out` first; only when all is
 * staged is each folder swapped in (the old one renamed aside, the new one renamed in). A failure
 * before or during the swaps undoes them, so `out` is left as it was. Nothing outside `out` is
 * renamed or deleted; `out` and missing parents are created, and removed again on failure.
 */
export function writeOutputs(out: string, planned: PlannedOutput[], sources: string[]): void {
  checkOutFolder(out);
  for (const p of planned) {
    let why: string | undefined;
    try {
      why = refusal(p.dir, sources);
    } catch (err) {
      why = `cannot look inside it: ${describeFsError(err)}`;
    }
    if (why) throw new OutputError(`refusing to replace ${p.dir}${path.sep}: ${why}; nothing was written`);
  }
  const created = firstMissing(path.resolve(out));
  let staging: string | undefined;
  let keepStaging = false;
  const swapped: { dir: string; fresh: string; aside?: string }[] = [];
  try {
    mkdirSync(out, { recursive: true });
    staging = mkdtempSync(path.join(out, ".durable2sfn-staging-"));
    for (const [i, p] of planned.entries()) stage(path.join(staging, `new-${i}`), p);
    for (const [i, p] of planned.entries()) {
      const fresh = path.join(staging, `new-${i}`);
      const aside = lstatOrUndefined(p.dir) ? path.join(staging, `old-${i}`) : undefined;
      if (aside) renameSync(p.dir, aside);
      try {
        renameSync(fresh, p.dir);
      } catch (err) {
        if (aside) renameSync(aside, p.dir);
        throw err;
      }
      swapped.push({ dir: p.dir, fresh, aside });
    }
  } catch (err) {
    try {
      undo(swapped);
    } catch (undoErr) {
      keepStaging = true;
      throw new OutputError(`cannot write ${out}${path.sep}: ${describeFsError(err)}, and putting the earlier outputs back failed too (${describeFsError(undoErr)}); they are in ${staging}`);
    }
    if (created) rmSync(created, { recursive: true, force: true });
    throw new OutputError(`cannot write ${out}${path.sep}: ${describeFsError(err)}; nothing was written`);
  } finally {
    // The staging folder now holds the replaced outputs (or, after a failure, the new ones).
    if (staging && !keepStaging) rmSync(staging, { recursive: true, force: true });
  }
}

function stage(dir: string, p: PlannedOutput): void {
  mkdirSync(dir);
  for (const [file, content] of Object.entries(p.files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  writeFileSync(path.join(dir, MARKER_FILE), `${JSON.stringify(p.marker, null, 2)}\n`);
}

/** Puts back what the swaps replaced, newest first; the new folders go back into staging. */
function undo(swapped: { dir: string; fresh: string; aside?: string }[]): void {
  for (const s of swapped.reverse()) {
    renameSync(s.dir, s.fresh);
    if (s.aside) renameSync(s.aside, s.dir);
  }
}

function checkOutFolder(out: string): void {
  const nearest = nearestExisting(path.resolve(out));
  // statSync follows links: an output folder may be a link to a folder.
  if (statSync(nearest, { throwIfNoEntry: false })?.isDirectory()) return;
  const why = nearest === path.resolve(out) ? `${out} is a file, not a folder` : `${out} cannot be a folder: ${nearest} is a file`;
  throw new OutputError(`${why}; nothing was written`, true);
}

/**
 * Why `dir` may not be replaced, or undefined when it may: it does not exist, is empty, or holds
 * the marker of an earlier build and nothing but the files that marker lists. A folder holding
 * (or being) one of the handler files being built is never replaced, marker or not.
 */
export function refusal(dir: string, sources: string[]): string | undefined {
  const stat = lstatOrUndefined(dir);
  if (!stat) return undefined;
  if (stat.isSymbolicLink()) return "it is a symbolic link, not a folder durable2sfn wrote";
  const real = realpathSync(dir);
  const inside = sources.find((s) => {
    const rel = path.relative(real, realpathSync(s));
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  });
  if (inside) return `it holds ${inside}, a file being built`;
  if (!stat.isDirectory()) return "it is a file, not a folder";
  if (readdirSync(dir).length === 0) return undefined;
  // Looked for before listing the folder: `--out /` and a handler named `home` must not walk /home.
  if (!lstatOrUndefined(path.join(dir, MARKER_FILE))?.isFile()) return `it holds files durable2sfn did not write (no ${MARKER_FILE})`;
  const entries = folderEntries(dir);
  const marker = parseMarker(readFileSync(path.join(dir, MARKER_FILE), "utf8"));
  if (!marker) return `its ${MARKER_FILE} was not written by durable2sfn`;
  const foreign = entries.filter((e) => e !== MARKER_FILE && !marker.files.includes(e));
  if (foreign.length > 0) return `it holds files the last build did not write (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", ..." : ""})`;
  return undefined;
}

/**
 * Everything under `root`, relative with `/`: regular files by name, empty folders as `name/`,
 * links and other entries by name (never followed, so they never match a listed file's content).
 */
export function folderEntries(root: string, dir = ""): string[] {
  return readdirSync(path.join(root, dir))
    .sort()
    .flatMap((name) => {
      const relative = dir ? `${dir}/${name}` : name;
      const stat = lstatSync(path.join(root, relative));
      if (!stat.isDirectory()) return [stat.isFile() ? relative : `${relative}@`];
      const inner = folderEntries(root, relative);
      return inner.length > 0 ? inner : [`${relative}/`];
    });
}

/** The highest folder of `dir`'s path that does not exist yet (what creating `dir` would add). */
function firstMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = dir; !lstatOrUndefined(d); d = path.dirname(d)) missing = d;
  return missing;
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!lstatOrUndefined(d)) d = path.dirname(d);
  return d;
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** `permission denied` out of `EACCES: permission denied, mkdir '...'`. */
function describeFsError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /^[A-Z]+: ([^,]+),/.exec(message)?.[1] ?? message;
}
