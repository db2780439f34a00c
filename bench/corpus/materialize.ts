import { mkdirSync, realpathSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { GitSource } from "./git-source.ts";

/**
 * Writes a handler file of a mirror, and the files of the same commit it imports by relative path
 * (transitively), into a project folder that keeps the repository's layout, so the handler reads
 * its helpers and types as in its own project. Package imports resolve through one
 * `node_modules` link at the folder's root to this repository's own (the SDK and its testing
 * package, the AWS SDK clients we depend on); a package we do not have stays missing, and the
 * compiler reports it as the user would see it.
 */

const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** More files than this reached from one handler is not a handler's neighbourhood any more. */
const MAX_FILES = 200;

/** The repository paths a relative specifier written in `fromFile` may name, in the order TypeScript and Node try them. */
export function candidatePaths(fromFile: string, specifier: string): string[] {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const swapped = base.replace(/\.js$/, ".ts").replace(/\.jsx$/, ".tsx").replace(/\.mjs$/, ".mts").replace(/\.cjs$/, ".cts");
  const withExt = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json"].map((ext) => base + ext);
  const index = ["index.ts", "index.tsx", "index.js", "index.mjs", "index.cjs"].map((f) => path.posix.join(base, f));
  return [...new Set([base, swapped, base.replace(/\.js$/, ".tsx"), ...withExt, ...index])];
}

/** Relative specifiers a file imports, re-exports or requires. */
export function relativeImports(text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((i) => i.fileName).filter((spec) => spec.startsWith("./") || spec.startsWith("../") || spec === "." || spec === "..");
}

/** The `type` of the package.json nearest to `file` in the commit (what decides ESM or CommonJS for .js), and that package's folder. */
function packageType(source: GitSource, file: string): { dir: string; type?: string } | undefined {
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    const candidate = dir === "." ? "package.json" : `${dir}/package.json`;
    if (source.has(candidate)) {
      let type: string | undefined;
      try {
        const parsed = JSON.parse(source.read(candidate)) as { type?: unknown };
        if (typeof parsed.type === "string") type = parsed.type;
      } catch {
        // An unreadable package.json decides nothing: Node's default (CommonJS) holds.
      }
      return { dir, type };
    }
    if (dir === ".") return undefined;
  }
}

export interface Materialized {
  /** The handler's path in the project folder. */
  file: string;
  /** Repository paths written besides the handler (its relative imports). */
  helpers: string[];
  /** Relative imports that name no file of the commit. */
  unresolved: string[];
}

/**
 * Writes `file` of `source` under `root/<subdir>/`, keeping repository paths, with what it imports
 * by relative path; returns where the handler is. `root` gets the node_modules link once.
 */
export function materialize(source: GitSource, file: string, root: string, subdir: string, nodeModules: string): Materialized {
  linkNodeModules(root, nodeModules);
  const base = path.join(root, subdir);
  const written = new Set<string>();
  const unresolved: string[] = [];
  const pending = [file];
  while (pending.length > 0 && written.size < MAX_FILES) {
    const current = pending.shift()!;
    if (written.has(current)) continue;
    const text = source.read(current);
    const target = path.join(base, current);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    written.add(current);
    if (!CODE.test(current)) continue;
    for (const specifier of relativeImports(text)) {
      const found = candidatePaths(current, specifier).find((p) => source.has(p));
      if (found) pending.push(found);
      else unresolved.push(`${current}: ${specifier}`);
    }
  }
  const pkg = packageType(source, file);
  if (pkg) {
    const target = path.join(base, pkg.dir, "package.json");
    if (!existsSync(target)) writeFileSync(target, JSON.stringify(pkg.type ? { type: pkg.type } : {}) + "\n");
  }
  return { file: path.join(base, file), helpers: [...written].filter((f) => f !== file), unresolved };
}

function linkNodeModules(root: string, nodeModules: string): void {
  const link = path.join(root, "node_modules");
  mkdirSync(root, { recursive: true });
  if (!existsSync(link)) symlinkSync(realpathSync(nodeModules), link, "dir");
}
