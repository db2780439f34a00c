import { readFileSync } from "node:fs";
import { runServeLoad, spawnServe } from "./serve-load.ts";

const EXECUTIONS = 200;
const SECONDS = 20;

/**
 * `serve` as a separate process (as `durable2sfn serve` runs), under 200 executions started over
 * about 20 s, each with a Lambda task and a callback answered by SendTaskSuccess. The peak RSS is
 * the server's own (VmHWM, Linux), not the driver's.
 */
export async function benchServe(): Promise<void> {
  const { child, url } = await spawnServe();
  try {
    const f = await runServeLoad({ url, executions: EXECUTIONS, seconds: SECONDS });
    console.log(`  ${f.executions} executions (Lambda task + callback) started over ${SECONDS} s, done in ${f.wallSeconds.toFixed(1)} s`);
    console.log(`  requests: ${f.requests}, failures: ${f.failures}, lost executions: ${f.lost}, stuck: ${f.stuck}`);
    console.log(`  latency: p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms`);
    console.log(`  serve peak RSS: ${peakRssMiB(child.pid!)}`);
    const environments = childPids(child.pid!);
    console.log(`  function environments alive: ${environments.length}, peak RSS each: ${environments.map(peakRssMiB).join(", ") || "-"}`);
  } finally {
    child.kill("SIGTERM");
  }
}

function peakRssMiB(pid: number): string {
  try {
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return `${(kib / 1024).toFixed(1)} MiB`;
  } catch {
    return "n/a (needs /proc)";
  }
}

/** The function processes serve forked (Linux /proc; none elsewhere). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
