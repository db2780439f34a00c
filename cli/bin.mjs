#!/usr/bin/env node
// Entry point of the `durable2sfn` command. In a clone, the TypeScript sources run through tsx
// (no build step, what you edit is what runs); the npm package ships dist/, built from the same
// sources by scripts/build.ts, and no .ts of the CLI, so it never pays for tsx at start-up.
import { existsSync } from "node:fs";

const clone = existsSync(new URL("./main.ts", import.meta.url));
if (clone) (await import("tsx/esm/api")).register();
const { main } = await import(clone ? "./main.ts" : "../dist/main.js");
process.exitCode = await main(process.argv);
