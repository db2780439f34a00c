/**
 * Compiler numbers (issue 3): per sample, build time over `tsc --noEmit` on the same file, and
 * state transitions and Lambda invocations per execution; then how build time grows from a
 * 100-step to a 500-step handler (a 1,000-step one is over the 1 MiB definition quota, D2S2016). Both tools run as commands, so both pay process start-up.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileFile } from "../compiler/index.ts";
import { runCompiled } from "../harness/index.ts";
import type { Scenario } from "../runtime/emulator/index.ts";
import { benchAgainstExpert } from "./expert.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "cli/bin.mjs");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");

function seconds(command: string[], cwd = root): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, command, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const tscArgs = (file: string) => [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "--allowImportingTsExtensions", "--types", "node", file];

function buildRatio(file: string): { build: number; tsc: number } {
  const out = mkdtempSync(path.join(os.tmpdir(), "d2s-bench-"));
  return { build: seconds([cli, "build", file, "--out", out]), tsc: seconds(tscArgs(file)) };
}

function scenariosOf(sampleDir: string): Scenario[] {
  const dir = path.join(sampleDir, "scenarios");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
}

function generatedHandler(steps: number): string {
  const lines = [
    'import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";',
    "export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {",
    "  let total = event.n;",
  ];
  for (let i = 0; i < steps; i++) {
    lines.push(`  const s${i} = await context.step("step-${i}", async () => total + ${i});`);
    lines.push(i % 25 === 24 ? `  if (s${i} % 7 === 0) await context.wait({ seconds: 1 });` : `  total += s${i} % 3;`);
  }
  lines.push("  return total;", "});", "");
  return lines.join("\n");
}

export async function benchCompiler(): Promise<void> {
  await benchAgainstExpert(root);
  const samplesDir = path.join(root, "samples");
  const samples = readdirSync(samplesDir).filter((d) => existsSync(path.join(samplesDir, d, "handler.ts"))).sort();
  console.log("sample            build s   tsc s   build/tsc   scenarios   transitions/exec   lambda invocations/exec");
  for (const sample of samples) {
    const file = path.join(samplesDir, sample, "handler.ts");
    const { build, tsc: tscSeconds } = buildRatio(file);
    const scenarios = scenariosOf(path.join(samplesDir, sample));
    const handler = compileFile(file).handlers[0];
    let transitions = 0;
    let invocations = 0;
    for (const scenario of scenarios) {
      const { result } = await runCompiled(handler, scenario);
      transitions += result.stats.stateTransitions;
      invocations += result.stats.lambdaInvocations;
    }
    const n = Math.max(1, scenarios.length);
    console.log(
      `${sample.padEnd(16)} ${build.toFixed(2).padStart(7)} ${tscSeconds.toFixed(2).padStart(7)} ${(build / tscSeconds).toFixed(2).padStart(10)} ${String(scenarios.length).padStart(11)} ${(transitions / n).toFixed(1).padStart(18)} ${(invocations / n).toFixed(1).padStart(25)}`,
    );
  }
  const results: Record<number, number> = {};
  for (const steps of [100, 500]) {
    // Inside the project, so that the generated handler resolves the SDK from its node_modules.
    const file = path.join(root, "node_modules", ".cache", `d2s-bench-${steps}.ts`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, generatedHandler(steps));
    const start = process.hrtime.bigint();
    const { handlers, diagnostics } = compileFile(file);
    results[steps] = Number(process.hrtime.bigint() - start) / 1e9;
    if (handlers.length === 0) throw new Error(JSON.stringify(diagnostics));
    console.log(`generated ${steps}-step handler: compile ${results[steps].toFixed(2)} s, ${Object.keys(handlers[0].definition.States).length} states`);
  }
  console.log(`growth 100 -> 500 steps: ${(results[500] / results[100]).toFixed(1)}x the time for 5x the steps`);
}
