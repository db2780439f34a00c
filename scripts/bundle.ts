import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * dist/main.js, dist/index.js and dist/cdk.js, the CLI, the programmatic API and the CDK construct, bundled by esbuild with code
 * splitting: each command's dependencies stay in chunks that load when it runs. The packages of
 * package.json stay imports (npm installs them beside). Chunks are written flat into dist/, one
 * folder below the package root, which protocol/package-file.ts relies on to find the files
 * shipped beside the code.
 */
export async function bundleDist(): Promise<void> {
  rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { main: "cli/main.ts", index: "api/index.ts", cdk: "api/cdk/index.ts" },
    outdir: "dist",
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    legalComments: "none",
    logLevel: "warning",
  });
}
