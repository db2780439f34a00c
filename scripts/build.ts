/**
 * `npm run build` (and `prepack`, so `npm pack` / `npm publish` ship it): what the npm package
 * runs, built from the TypeScript sources, which a clone runs as they are through tsx (cli/bin.mjs):
 * the bundles of scripts/bundle.ts, then dist/types/, the API's declarations, emitted by tsc.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { bundleDist, ROOT } from "./bundle.ts";

await bundleDist();
execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
