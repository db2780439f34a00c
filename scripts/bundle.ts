import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform, type Plugin } from "esbuild";
import { standaloneSchemaModule } from "../asl/schema-standalone.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * dist/main.js, dist/index.js and dist/cdk.js, the CLI, the programmatic API and the CDK construct, bundled by esbuild with code
 * splitting: each command's dependencies stay in chunks that load when it runs. The packages of
 * package.json stay imports (npm installs them beside). Chunks are written flat into dist/, one
 * folder below the package root, which protocol/package-file.ts relies on to find the files
 * shipped beside the code. asl/schema-validate.ts is replaced by the standalone code of the same
 * schema validator, so that the package compiles no schema when it runs (standaloneSchema).
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
    plugins: [requireCommonJs(COMMONJS_PACKAGES), standaloneSchema()],
    // The `require` of requireCommonJs's modules, in every chunk.
    banner: { js: 'import { createRequire as __d2sCreateRequire } from "node:module"; const require = __d2sCreateRequire(import.meta.url);' },
    legalComments: "none",
    logLevel: "warning",
  });
}

/**
 * The CommonJS packages the CLI loads. Node imports a CommonJS package into an ES module only
 * after lexing its whole source for the names it exports (cjs-module-lexer): for ts-morph and
 * the TypeScript inside it, about a third of a second at every compile. `require` skips that, so
 * these are required (through createRequire, from the chunk's own folder, as `import` resolves
 * them). A package missing here is only imported more slowly; an ES-module-only package here
 * would fail to load (Node 20's require cannot load ES modules).
 */
const COMMONJS_PACKAGES = ["ts-morph", "jsonata", "esbuild", "yaml", "commander", "elkjs"];

function requireCommonJs(packages: string[]): Plugin {
  const names = new RegExp(`^(${packages.join("|")})(/.*)?$`); // the names have no regex characters
  return {
    name: "require-commonjs",
    setup(build) {
      // An import of one becomes a module of one line, `module.exports = require(...)`, whose
      // require stays external; esbuild's interop then reads the named imports off its exports.
      build.onResolve({ filter: names }, (args) => (args.kind === "require-call" ? { path: args.path, external: true } : { path: args.path, namespace: "require-commonjs" }));
      build.onLoad({ filter: /.*/, namespace: "require-commonjs" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
    },
  };
}

/**
 * asl/schema-validate.ts compiles asl-validator's schemas at the first validation (about 0.3 s);
 * in dist/ it is replaced by the module asl/schema-standalone.ts generates, ajv's code of the very
 * validator that compile gives, minified (a third smaller: it is parsed at each validating start).
 */
function standaloneSchema(): Plugin {
  return {
    name: "standalone-schema",
    setup(build) {
      build.onLoad({ filter: /[\\/]asl[\\/]schema-validate\.ts$/ }, async () => ({
        contents: (await transform(standaloneSchemaModule("./schema-formats.ts"), { loader: "js", format: "esm", minify: true })).code,
        loader: "js",
        resolveDir: path.join(ROOT, "asl"),
      }));
    },
  };
}
