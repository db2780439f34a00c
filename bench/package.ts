/**
 * Numbers of the package as npm ships it (issue 16): dist/, freshly bundled, started like the
 * installed `durable2sfn`. Printed as ratios of wall time measured side by side in this run (the
 * median of alternating runs), so that a busy machine slows both sides alike:
 * - `--help` over `node -e 0` (what start-up costs beyond Node itself; target <= 6x);
 * - `build` of a sample over `tsc --noEmit` on the same file with the same tsconfig (target <= 1.2x);
 * - `run` of a sample's scenario over the same scenario under the SDK's LocalDurableTestRunner
 *   (bench/sdk-runner.ts), each a whole process: cold (`--no-cache`: compiled and bundled) and warm
 *   (the build kept by run-cache.ts; targets <= 1.5x cold, <= 0.5x warm).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleDist, ROOT } from "../scripts/bundle.ts";

const RUNS = 3;
const SAMPLE = path.join(ROOT, "samples/order-saga/handler.ts");
const RUN_SAMPLE = path.join(ROOT, "samples/data-pipeline/handler.ts");
const RUN_SCENARIO = path.join(ROOT, "samples/data-pipeline/scenarios/repair-and-quarantine.json"); // 20 operations, nested ones included

/** The built CLI, as cli/bin.mjs starts it in an installed package. */
const distCli = (args: string[]) => ["--input-type=module", "-e", `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/main.js")).href)}); process.exitCode = await main(["node", "durable2sfn", ...process.argv.slice(1)]);`, "--", ...args];

function seconds(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs both commands RUNS times, alternating, and gives their medians. */
function sideBySide(a: string[], b: string[]): [number, number] {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    times[0].push(seconds(a));
    times[1].push(seconds(b));
  }
  return [median(times[0]), median(times[1])];
}

const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}x (${x.toFixed(3)} s / ${y.toFixed(3)} s)`;

export async function benchPackage(): Promise<void> {
  await bundleDist();
  const [help, node] = sideBySide(distCli(["--help"]), ["-e", "0"]);
  console.log(`--help over node -e 0: ${ratio(help, node)}; target <= 6x`);

  // Inside the repository, so that tsc finds its node_modules (@types/node) as the compiler does.
  mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const work = mkdtempSync(path.join(ROOT, ".tmp", "bench-package-"));
  // tsc checks the sample with the options the compiler reads: the repository's tsconfig.json.
  const tsconfig = path.join(work, "tsconfig.json");
  writeFileSync(tsconfig, JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), include: [], files: [SAMPLE] }));
  const tsc = [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", tsconfig];
  const [build, check] = sideBySide(distCli(["build", SAMPLE, "--out", path.join(work, "out")]), tsc);
  console.log(`build ${path.relative(ROOT, SAMPLE)} over tsc --noEmit: ${ratio(build, check)}; target <= 1.2x`);

  const sdk = ["--import", "tsx", path.join(ROOT, "bench/sdk-runner.ts"), RUN_SAMPLE, RUN_SCENARIO];
  const operations = spawnSync(process.execPath, sdk, { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const runArgs = ["run", RUN_SAMPLE, "--scenario", RUN_SCENARIO];
  const [cold, sdkCold] = sideBySide(distCli([...runArgs, "--no-cache"]), sdk);
  seconds(distCli(runArgs)); // keeps the build
  const [warm, sdkWarm] = sideBySide(distCli(runArgs), sdk);
  const scenario = `${path.relative(ROOT, RUN_SCENARIO)} (${operations} operations)`;
  console.log(`run ${scenario} over the SDK's runner, cold: ${ratio(cold, sdkCold)}; target <= 1.5x`);
  console.log(`run ${scenario} over the SDK's runner, warm: ${ratio(warm, sdkWarm)}; target <= 0.5x`);
}
