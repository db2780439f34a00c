/**
 * `npm run update-golden [-- <handler.ts>...]`: rewrites the golden files (see golden.ts) from
 * what the compiler emits now. Without arguments every source is rewritten and golden folders
 * without a source are removed; with files, only theirs. Every source is compiled before anything
 * is written, so a compile error leaves the golden files as they were.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  compileSource,
  expectedFiles,
  goldenPath,
  goldenSources,
  orphanGoldenFolders,
  ROOT,
  strayGoldenEntries,
  type GoldenSource,
} from "./golden.ts";

const USAGE = "usage: npm run update-golden [-- <handler.ts>...]  (a samples/*/handler.ts or test/fixtures/compiler/*.ts)";

function selectSources(args: string[]): GoldenSource[] {
  const all = goldenSources();
  if (args.length === 0) return all;
  return args.map((arg) => {
    if (arg.startsWith("-")) exit(2, `update-golden: unknown option ${arg}\n${USAGE}`);
    // npm runs scripts from the package root; INIT_CWD is where the command was typed.
    const rel = path.relative(ROOT, path.resolve(process.env.INIT_CWD ?? process.cwd(), arg)).split(path.sep).join("/");
    const found = all.find((s) => s.source === rel);
    if (!found) exit(2, `update-golden: ${arg} is not a sample handler or compiler fixture\n${USAGE}`);
    return found;
  });
}

function exit(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

function main(args: string[]) {
  const sources = selectSources(args);
  const compiled = sources.map((source) => ({ source, ...compileSource(source) }));
  const failed = compiled.filter((c) => c.errors.length > 0 || c.handlers.length === 0);
  if (failed.length > 0) {
    for (const c of failed) console.error(c.errors.join("\n") || `${c.source.source}: no handler compiled`);
    exit(1, `update-golden: ${failed.length} source(s) do not compile; no golden file was written`);
  }

  let written = 0;
  const removed: string[] = args.length === 0 ? orphanGoldenFolders() : [];
  for (const { source, handlers } of compiled) {
    removed.push(...strayGoldenEntries(source, handlers.map((h) => h.name)));
    for (const handler of handlers) {
      for (const [file, text] of Object.entries(expectedFiles(handler))) {
        const target = path.join(ROOT, goldenPath(source, handler.name, file));
        if (existsSync(target) && readFileSync(target, "utf8") === text) continue;
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
        console.log(`updated ${goldenPath(source, handler.name, file)}`);
        written++;
      }
    }
  }
  for (const rel of removed) {
    rmSync(path.join(ROOT, rel), { recursive: true, force: true });
    console.log(`removed ${rel}`);
  }
  console.log(`${compiled.length} source(s) compiled, ${written} golden file(s) updated, ${removed.length} removed; review the diff (git diff)`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  exit(1, `update-golden: ${err instanceof Error ? err.message : String(err)}`);
}
