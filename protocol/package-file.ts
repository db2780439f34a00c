import { fileURLToPath } from "node:url";

/**
 * A file the package ships beside its code, by its path from the package root (the folder of
 * package.json). This module sits one folder below the root both as a source (`protocol/`) and
 * bundled into a chunk of the built package (`dist/`), so `..` from it is the root in a clone and
 * in an installed package alike; `new URL(..., import.meta.url)` at each use would break once
 * esbuild moves the code into `dist/`.
 */
export function packageFile(fromRoot: string): string {
  return fileURLToPath(new URL(`../${fromRoot}`, import.meta.url));
}
