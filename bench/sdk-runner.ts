/**
 * One scenario under the SDK's LocalDurableTestRunner, in a process of its own, as a user's test
 * would run it (the harness's oracle: the handler loaded through tsx, callbacks answered from the
 * scenario). bench/package.ts times this process against `durable2sfn run`. Prints the number of
 * durable operations of the run, nested ones included.
 */
import { readFileSync } from "node:fs";
import { closeOracle, runOnSdk } from "../harness/index.ts";

const [handler, scenarioFile] = process.argv.slice(2);
const trace = await runOnSdk(handler, JSON.parse(readFileSync(scenarioFile, "utf8")));
await closeOracle();
const count = (ops: Array<{ children?: unknown[] }>): number => ops.reduce((n, op) => n + 1 + count((op.children ?? []) as typeof ops), 0);
process.stdout.write(`${count(trace.operations ?? [])}\n`);
