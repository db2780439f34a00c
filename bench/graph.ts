/**
 * `graph` numbers: on the sample with the most states, the time ELK takes to lay the SVG out in
 * this process (the first call also loads elkjs), and the whole command, SVG against Mermaid (the
 * difference is what the layout costs a user, start-up included).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { machineGraph, toSvg } from "../compiler/index.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "cli/bin.mjs");

const countStates = (d: { States?: Record<string, { Branches?: object[]; ItemProcessor?: object }> }): number =>
  Object.values(d.States ?? {}).reduce((n, s) => n + 1 + [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : [])].reduce((k: number, b) => k + countStates(b), 0), 0);

const elapsed = async (run: () => unknown): Promise<number> => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

export async function benchGraph(): Promise<void> {
  const samples = readdirSync(path.join(root, "samples"))
    .map((s) => path.join(root, "samples", s, "golden/handler/state-machine.asl.json"))
    .filter((f) => existsSync(f))
    .map((file) => ({ file, definition: JSON.parse(readFileSync(file, "utf8")) }))
    .map((s) => ({ ...s, states: countStates(s.definition) }))
    .sort((a, b) => b.states - a.states || a.file.localeCompare(b.file));
  const largest = samples[0]!;
  const graph = machineGraph(largest.definition);
  const first = await elapsed(() => toSvg(graph));
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push(await elapsed(() => toSvg(graph)));
  warm.sort((a, b) => a - b);
  const command = async (format: string) => elapsed(() => spawnSync(process.execPath, [cli, "graph", largest.file, "--format", format], { cwd: root, encoding: "utf8" }));
  const name = path.relative(root, largest.file);
  console.log(`largest sample: ${name} (${largest.states} states)`);
  console.log(`toSvg: first ${first.toFixed(0)} ms (loads elkjs), then median ${warm[2]!.toFixed(0)} ms of 5`);
  console.log(`command: graph --format svg ${(await command("svg")).toFixed(0)} ms, --format mermaid ${(await command("mermaid")).toFixed(0)} ms`);
}
