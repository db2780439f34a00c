#!/usr/bin/env node
// Entry point of the `durable2sfn` command. The sources are TypeScript; tsx loads them
// without a separate build step, so the installed package runs what the repository holds.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv);
