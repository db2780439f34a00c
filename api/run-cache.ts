import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { CompiledHandler } from "../compiler/types.ts";
import { packageFile } from "../protocol/package-file.ts";
import { version } from "./version.ts";

/**
 * What `run` keeps of a compiled handler, so that running an unchanged one again neither
 * type-checks nor bundles it (nor loads TypeScript and esbuild at all): the compiled handler and
 * its local bundle, with a SHA-256 of every input. An entry is used only when each input still
 * has the same content: the handler, the project's modules it imports (for types too), its
 * tsconfig.json files, and durable2sfn itself. Packages in node_modules are not compared (a
 * changed dependency bundled into the fragments needs `run --no-cache`).
 */
interface Entry {
  tool: string;
  inputs: Record<string, string>;
  handler: CompiledHandler;
  bundle: string;
}

export interface CachedBuild {
  handler: CompiledHandler;
  bundle: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** The handler's entry, when every input is as it was. */
export function cachedBuild(file: string, handlerName = ""): CachedBuild | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryFile(file, handlerName), "utf8"));
  } catch {
    return undefined; // no entry yet, or a damaged one: build afresh
  }
  if (entry.tool !== toolIdentity()) return undefined;
  for (const [input, hash] of Object.entries(entry.inputs)) {
    if (!existsSync(input) || sha256(readFileSync(input)) !== hash) return undefined;
  }
  return { handler: entry.handler, bundle: entry.bundle };
}

/** Keeps a fresh build; written aside then renamed, so a concurrent run never reads half an entry. */
export function storeBuild(file: string, handlerName: string, build: CachedBuild, inputs: string[]): void {
  const target = entryFile(file, handlerName);
  const entry: Entry = { tool: toolIdentity(), inputs: Object.fromEntries(inputs.map((i) => [i, sha256(readFileSync(i))])), ...build };
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    const aside = `${target}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(entry));
    renameSync(aside, target);
  } catch {
    // A cache that cannot be written only makes the next run slower.
  }
}

function entryFile(file: string, handlerName: string): string {
  const absolute = path.resolve(file);
  return path.join(cacheFolder(path.dirname(absolute)), `${sha256(`${absolute}#${handlerName}`).slice(0, 32)}.json`);
}

/** node_modules/.cache/durable2sfn of the project (where tools keep caches), else the temp folder. */
function cacheFolder(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, "node_modules"))) return path.join(at, "node_modules", ".cache", "durable2sfn");
    if (path.dirname(at) === at) return path.join(os.tmpdir(), "durable2sfn-cache");
  }
}

let identity: string | undefined;

/**
 * What must match for an entry to be durable2sfn's current output: the version of the package
 * and of asl-validator (a kept definition is not validated again, see api/run.ts); in a clone,
 * whose sources change without a new version, also their contents.
 */
function toolIdentity(): string {
  if (identity) return identity;
  const tools = `${version}+asl-validator@${createRequire(import.meta.url)("asl-validator/package.json").version}`;
  if (!import.meta.url.endsWith(".ts")) return (identity = tools);
  const hash = createHash("sha256");
  for (const dir of ["asl", "compiler", "protocol", "runtime/fragments"]) {
    const root = packageFile(dir);
    for (const name of (readdirSync(root, { recursive: true }) as string[]).sort()) {
      if (name.endsWith(".ts")) hash.update(name).update(readFileSync(path.join(root, name)));
    }
  }
  return (identity = `${tools}+${hash.digest("hex")}`);
}
