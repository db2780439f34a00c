/**
 * `tsx bench/corpus/discover.ts --mirrors DIR [--out FILE] CORPUS=OWNER/NAME[@COMMIT][:FOLDER] ...`
 *
 * Writes a corpus manifest from git mirrors: for each repository (at its HEAD unless a commit is
 * given, under FOLDER if given), the code files that import the SDK and call withDurableExecution,
 * tests and build output left out. The committed sources.json was made this way; rerun it to move
 * the corpus to newer commits.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { GitSource } from "./git-source.ts";
import { mirrorGitDir, parseManifest, type CorpusSource } from "./manifest.ts";

const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const LEFT_OUT = /(^|\/)(node_modules|dist|build|cdk\.out|\.aws-sam|__tests__|coverage)\/|\.(test|spec)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/;
const IMPORTS_SDK = /["']@aws\/durable-execution-sdk-js["']/;
/** A call, type arguments allowed (`withDurableExecution<Event, Result>(...)`). */
const CALLS_WRAPPER = /\bwithDurableExecution\s*(<[^()]*>\s*)?\(/;

/** Whether a file's text is a durable handler for the corpus: it imports the SDK and calls withDurableExecution. */
export function isDurableHandler(file: string, text: string): boolean {
  return CODE.test(file) && !LEFT_OUT.test(file) && IMPORTS_SDK.test(text) && CALLS_WRAPPER.test(text);
}

export function parseSpec(spec: string): { corpus: string; repo: string; commit?: string; under?: string } {
  const match = /^([^=]+)=([^/@:]+\/[^/@:]+)(?:@([0-9a-f]{40}))?(?::(.+))?$/.exec(spec);
  if (!match) throw new Error(`not CORPUS=OWNER/NAME[@COMMIT][:FOLDER]: ${spec}`);
  return { corpus: match[1]!, repo: match[2]!, commit: match[3], under: match[4]?.replace(/\/$/, "") };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { mirrors: { type: "string" }, out: { type: "string" } }, allowPositionals: true });
  if (!values.mirrors || positionals.length === 0) {
    console.error("usage: tsx bench/corpus/discover.ts --mirrors DIR [--out FILE] CORPUS=OWNER/NAME[@COMMIT][:FOLDER] ...");
    process.exit(2);
  }
  const sources: CorpusSource[] = [];
  for (const spec of positionals.map(parseSpec)) {
    const gitDir = mirrorGitDir(values.mirrors, spec.repo);
    if (!gitDir) throw new Error(`no mirror of ${spec.repo} under ${values.mirrors}`);
    const commit = spec.commit ?? execFileSync("git", ["--git-dir", gitDir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const git = new GitSource(gitDir, commit);
    const listed = execFileSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "--name-only", "-z", commit, ...(spec.under ? ["--", spec.under] : [])], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const files = listed
      .split("\0")
      .filter((f) => f !== "" && CODE.test(f) && !LEFT_OUT.test(f))
      .filter((f) => {
        try {
          return isDurableHandler(f, git.read(f));
        } catch {
          return false; // absent from the snapshot (a large file): not a handler to read
        }
      })
      .sort();
    if (files.length > 0) sources.push({ repo: spec.repo, commit, corpus: spec.corpus, files });
    console.error(`${spec.repo}@${commit.slice(0, 12)}${spec.under ? `:${spec.under}` : ""}: ${files.length} files`);
  }
  const text = JSON.stringify(parseManifest({ sources }), null, 2) + "\n";
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}
