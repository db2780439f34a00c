import { existsSync } from "node:fs";
import path from "node:path";

/**
 * What names a handler's file in default names: its path from the project root (the nearest
 * folder with a package.json), without the extension (.ts, .mjs, .cjs, ...) and with `/` as `-`: `src/orders.ts` is
 * `src-orders`. A file named handler.ts or index.ts is named by its folder (`samples/approval`),
 * as the export name follows anyway. Two files of one project never get the same name this way,
 * whatever folder the command runs in; without a package.json, the file's own name is used.
 */
export function sourceName(file: string): string {
  const absolute = path.resolve(file);
  const root = projectRoot(path.dirname(absolute)) ?? path.dirname(absolute);
  const parts = withoutExtension(path.relative(root, absolute)).split(path.sep);
  if (parts.length > 1 && (parts.at(-1) === "handler" || parts.at(-1) === "index")) parts.pop();
  return parts.join("-");
}

function projectRoot(dir: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, "package.json"))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** A handler file's path or name without its extension (.ts, .mts, .cts, .js, .mjs, .cjs, and x variants). */
export function withoutExtension(file: string): string {
  return file.replace(/\.[cm]?[jt]sx?$/, "");
}
