import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The corpus manifest (`sources.json`): public repositories by name and commit, and the paths of
 * the durable handlers in them. It names third-party code and holds none of it: the runner reads
 * each file out of a fetched git mirror at that commit.
 */
export interface CorpusSource {
  /** `owner/name` on GitHub. */
  repo: string;
  /** The commit the paths are read at (40 hex digits). */
  commit: string;
  /** Which figures the files count towards (e.g. `sdk` for the SDK's own examples, `external`). */
  corpus: string;
  /** Handler files, relative to the repository root. */
  files: string[];
}

export interface CorpusManifest {
  sources: CorpusSource[];
}

export class ManifestError extends Error {}

const COMMIT = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Checks the shape of a parsed manifest and returns it typed; throws ManifestError naming the bad entry. */
export function parseManifest(value: unknown): CorpusManifest {
  const sources = (value as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) throw new ManifestError("the manifest has no `sources` array");
  const seen = new Set<string>();
  for (const [i, source] of sources.entries()) {
    const where = `sources[${i}]`;
    const s = source as Partial<CorpusSource> | null;
    if (typeof s?.repo !== "string" || !REPO.test(s.repo)) throw new ManifestError(`${where}: repo must be "owner/name"`);
    if (typeof s.commit !== "string" || !COMMIT.test(s.commit)) throw new ManifestError(`${where} (${s.repo}): commit must be 40 lower-case hex digits`);
    if (typeof s.corpus !== "string" || s.corpus === "") throw new ManifestError(`${where} (${s.repo}): corpus must be a name`);
    if (!Array.isArray(s.files) || s.files.some((f) => typeof f !== "string" || f === "" || f.startsWith("/") || f.split("/").includes(".."))) {
      throw new ManifestError(`${where} (${s.repo}): files must be paths inside the repository`);
    }
    for (const file of s.files) {
      const key = `${s.repo}@${s.commit}:${file}`;
      if (seen.has(key)) throw new ManifestError(`${where}: ${key} is listed twice`);
      seen.add(key);
    }
  }
  return { sources: sources as CorpusSource[] };
}

export function loadManifest(file: string): CorpusManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ManifestError(`cannot read the manifest ${file}: ${(err as Error).message}`);
  }
  return parseManifest(parsed);
}

/**
 * The bare git directory of `owner/name` under the mirrors folder: `<mirrors>/owner+name/repo` (as
 * the fetch tool lays mirrors out), `<mirrors>/owner+name` or `<mirrors>/owner+name.git`.
 */
export function mirrorGitDir(mirrors: string, repo: string): string | undefined {
  const base = path.join(mirrors, repo.replace("/", "+"));
  return [path.join(base, "repo"), base, `${base}.git`].find((dir) => existsSync(path.join(dir, "HEAD")));
}
