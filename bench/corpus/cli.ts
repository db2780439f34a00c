/**
 * `npm run corpus -- --mirrors DIR [--verify] [--jobs N] [--out FILE.jsonl] [--timeout S]
 * [--manifest FILE] [--corpus NAME] [--only TEXT] [--keep]`
 *
 * Builds every handler the manifest names, read out of git mirrors of public repositories, and,
 * with --verify, verifies each against the SDK on the scenario `{"event": {}}` with named callbacks
 * answered "ok". Prints one line per file, then the figures per corpus and the refusals by first
 * diagnostic code; --out writes one JSON record per file. Needs the mirrors (no network): CI does
 * not run it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { GitSource } from "./git-source.ts";
import { loadManifest, mirrorGitDir, type CorpusSource } from "./manifest.ts";
import { materialize } from "./materialize.ts";
import { WorkerPool, type JobResult } from "./pool.ts";
import { fileVerifyOutcome, type CorpusRecord } from "./record.ts";
import { summaryText } from "./summary.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = path.resolve(HERE, "../../node_modules");

const { values } = parseArgs({
  options: {
    mirrors: { type: "string" },
    verify: { type: "boolean", default: false },
    jobs: { type: "string", default: "1" },
    out: { type: "string" },
    timeout: { type: "string", default: "180" },
    manifest: { type: "string", default: path.join(HERE, "sources.json") },
    corpus: { type: "string" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});

if (!values.mirrors) {
  console.error("usage: npm run corpus -- --mirrors DIR [--verify] [--jobs N] [--out FILE.jsonl] [--timeout S] [--manifest FILE] [--corpus NAME] [--only TEXT] [--keep]");
  process.exit(2);
}
const jobs = Math.max(1, Number(values.jobs) || 1);
const timeoutMs = Math.max(1, Number(values.timeout) || 180) * 1000;
const manifest = loadManifest(values.manifest!);
const root = mkdtempSync(path.join(os.tmpdir(), "d2s-corpus-"));

interface Job {
  source: CorpusSource;
  git?: GitSource;
  path: string;
}

const jobsToRun: Job[] = manifest.sources
  .filter((s) => !values.corpus || s.corpus === values.corpus)
  .flatMap((source) => {
    const gitDir = mirrorGitDir(values.mirrors!, source.repo);
    const git = gitDir ? new GitSource(gitDir, source.commit) : undefined;
    return source.files.filter((f) => !values.only || `${source.repo}/${f}`.includes(values.only)).map((file) => ({ source, git, path: file }));
  });

function recordOf(job: Job, result: JobResult, seconds: number, unresolved: string[]): CorpusRecord {
  const base = { corpus: job.source.corpus, repo: job.source.repo, commit: job.source.commit, path: job.path, seconds, ...(unresolved.length > 0 ? { unresolved } : {}) };
  if ("outcome" in result) {
    const o = result.outcome;
    return { ...base, status: o.crash ? "crash" : o.compiled ? "compiled" : "refused", outcome: o };
  }
  if (result.compiled) {
    // The build gave its outcome; the verify after it did not end.
    const verify = result.compiled.handlers.map((handler) => ({ handler, outcome: "not comparable" as const, reason: result.failure }));
    return { ...base, status: "compiled", outcome: { ...result.compiled, verify }, reason: result.failure };
  }
  return { ...base, status: result.timedOut ? "timeout" : "failed", reason: result.failure };
}

function lineOf(r: CorpusRecord): string {
  const where = `${r.repo}/${r.path}`;
  const d = r.outcome?.diagnostic;
  const detail =
    r.status === "refused" && d
      ? `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`
      : r.status === "compiled"
        ? (fileVerifyOutcome(r) ?? r.outcome!.handlers.join(", ")) + (r.outcome?.verify?.some((v) => v.reason) ? `: ${r.outcome!.verify!.find((v) => v.reason)!.reason!.split("\n")[0]}` : "")
        : (r.outcome?.crash ?? r.reason ?? "");
  return `${r.status.padEnd(8)} ${where} (${r.seconds.toFixed(1)} s) ${detail}`;
}

const pool = new WorkerPool(Math.min(jobs, Math.max(1, jobsToRun.length)), timeoutMs);
const records: CorpusRecord[] = [];
let next = 0;
async function lane(): Promise<void> {
  while (next < jobsToRun.length) {
    const job = jobsToRun[next++]!;
    const started = performance.now();
    let record: CorpusRecord;
    if (!job.git) {
      record = { corpus: job.source.corpus, repo: job.source.repo, commit: job.source.commit, path: job.path, status: "missing", reason: `no mirror of ${job.source.repo} under ${values.mirrors}`, seconds: 0 };
    } else {
      let written;
      try {
        written = materialize(job.git, job.path, root, job.source.repo.replace("/", "+"), NODE_MODULES);
      } catch (err) {
        written = undefined;
        record = { corpus: job.source.corpus, repo: job.source.repo, commit: job.source.commit, path: job.path, status: "missing", reason: `cannot read it at ${job.source.commit}: ${(err as Error).message.split("\n")[0]}`, seconds: 0 };
      }
      if (written) {
        const result = await pool.run({ file: written.file, projectRoot: path.join(root, job.source.repo.replace("/", "+")), verify: values.verify! });
        record = recordOf(job, result, (performance.now() - started) / 1000, written.unresolved);
      }
    }
    records.push(record!);
    console.log(lineOf(record!));
  }
}

try {
  await Promise.all(Array.from({ length: jobs }, lane));
} finally {
  await pool.close();
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  else console.log(`project folders kept in ${root}`);
}

const order = new Map(jobsToRun.map((j, i) => [`${j.source.repo}:${j.path}`, i]));
records.sort((a, b) => order.get(`${a.repo}:${a.path}`)! - order.get(`${b.repo}:${b.path}`)!);
if (values.out) writeFileSync(values.out, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
console.log(`\n${summaryText(records, values.verify!)}`);
