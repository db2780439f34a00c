import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { compileFile, HANDLER_FILE, type CompiledHandler } from "../../compiler/index.ts";
import { formatDiagnostic } from "../../compiler/diagnostics.ts";
import { handlerOutputFiles } from "../../compiler/emit/output-files.ts";

/**
 * Golden files: what `durable2sfn build` writes for each handler of each sample and compiler
 * fixture, committed so that a change to the compiler shows up as a diff in review.
 *
 * Layout (all paths relative to the repository root, with `/`):
 * - the sample `samples/<sample>/handler.ts` has its golden folder `samples/<sample>/golden/`;
 * - the fixture `test/fixtures/compiler/<fixture>.ts` (or `.mjs`, `.cjs`, `.js`...) has `test/fixtures/compiler/golden/<fixture>/`;
 * - inside a golden folder, one folder per handler export, holding GOLDEN_FILES.
 * The fragments bundle is not pinned (esbuild's output is not the compiler's to review).
 */

export const ROOT = path.resolve(import.meta.dirname, "../..");

export const GOLDEN_FILES = ["state-machine.asl.json", "source-map.json", "template.yaml"] as const;

export interface GoldenSource {
  /** The handler file, e.g. `samples/approval/handler.ts`. */
  source: string;
  /** Its golden folder, e.g. `samples/approval/golden`. */
  golden: string;
}

const SAMPLES = "samples";
const FIXTURES = "test/fixtures/compiler";

const sortedEntries = (dir: string) => (existsSync(path.join(ROOT, dir)) ? readdirSync(path.join(ROOT, dir)).sort() : []);
const isDir = (rel: string) => existsSync(path.join(ROOT, rel)) && statSync(path.join(ROOT, rel)).isDirectory();
const isFile = (rel: string) => existsSync(path.join(ROOT, rel)) && statSync(path.join(ROOT, rel)).isFile();

/** Every source that has golden files, in a fixed order (sorted names, never the file system's order). */
export function goldenSources(): GoldenSource[] {
  const samples = sortedEntries(SAMPLES)
    .filter((name) => isFile(`${SAMPLES}/${name}/handler.ts`))
    .map((name) => ({ source: `${SAMPLES}/${name}/handler.ts`, golden: `${SAMPLES}/${name}/golden` }));
  const fixtures = sortedEntries(FIXTURES)
    .filter((name) => HANDLER_FILE.test(name) && isFile(`${FIXTURES}/${name}`))
    .map((name) => ({ source: `${FIXTURES}/${name}`, golden: `${FIXTURES}/golden/${name.replace(HANDLER_FILE, "")}` }));
  return [...samples, ...fixtures];
}

/** Golden folders whose source is gone (a removed sample or fixture). */
export function orphanGoldenFolders(): string[] {
  const owned = new Set(goldenSources().map((s) => s.golden));
  const candidates = [
    ...sortedEntries(SAMPLES).map((name) => `${SAMPLES}/${name}/golden`),
    ...sortedEntries(`${FIXTURES}/golden`).map((name) => `${FIXTURES}/golden/${name}`),
  ];
  return candidates.filter((dir) => existsSync(path.join(ROOT, dir)) && !owned.has(dir));
}

/** Entries of a golden folder that no handler of the source writes: a removed export, a stray file. */
export function strayGoldenEntries(source: GoldenSource, handlers: string[]): string[] {
  const stray: string[] = [];
  for (const entry of sortedEntries(source.golden)) {
    const rel = `${source.golden}/${entry}`;
    if (!handlers.includes(entry) || !isDir(rel)) {
      stray.push(rel);
      continue;
    }
    for (const file of sortedEntries(rel)) {
      if (!(GOLDEN_FILES as readonly string[]).includes(file)) stray.push(`${rel}/${file}`);
    }
  }
  return stray;
}

/** The bytes `durable2sfn build` writes for one handler, by golden file name (the same serializers). */
export function expectedFiles(handler: CompiledHandler): Record<(typeof GOLDEN_FILES)[number], string> {
  // What `build` writes, less the bundle (no bundling here: it is slow and not the compiler's text).
  const files = handlerOutputFiles(handler, "");
  return Object.fromEntries(GOLDEN_FILES.map((file) => [file, files[file]])) as Record<(typeof GOLDEN_FILES)[number], string>;
}

export const goldenPath = (source: GoldenSource, handler: string, file: string) => `${source.golden}/${handler}/${file}`;

/** Compiles one source; a source that does not compile has no golden files to compare with. */
export function compileSource(source: GoldenSource): { handlers: CompiledHandler[]; errors: string[] } {
  const { handlers, diagnostics } = compileFile(path.join(ROOT, source.source));
  const errors = diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d, ROOT));
  return { handlers, errors };
}

export const UPDATE_COMMAND = "npm run update-golden";
