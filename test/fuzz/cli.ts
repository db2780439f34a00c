import { fork } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { printProgram, programArbitrary, type GeneratorOptions } from "./generator/index.ts";
import { resolveFeatures } from "./generator/features.ts";
import { passed } from "./runner.ts";
import { REGRESSIONS_DIR } from "./shrink.ts";
import { workerArgv, type WorkerArgs, type WorkerMessage } from "./protocol.ts";

/**
 * npm run fuzz -- --runs N [--seed S] [--jobs J] [--batch B] [--no-shrink] [--shrink-known]
 *                 [--shrink-seconds T] [--round-seconds R] [--exclude kind,kind] [--fresh-oracle]
 *                 [--program-timeout P] [--features values,inputs|all|<feature>,...]
 * npm run fuzz -- --seed S --replay I      shrink program I of seed S, write its regression files
 * npm run fuzz -- --seed S --print I       print program I of seed S and its scenario
 *
 * Programs are checked by child processes (worker.ts), `--batch` programs per process, `--jobs`
 * processes at a time. The first failure of each new kind (signature) is shrunk and written to
 * test/regressions/ (kinds already recorded there are only reported, with the command to shrink
 * them). Shrinking runs in rounds of at most R seconds, each in a fresh process resuming from the
 * path the previous round reached (memory grows ~4 MB per program run in one process), until
 * it is done or T seconds are spent. A worker silent for P seconds is stopped; the program it
 * was on is checked again alone at the end. docs/verify.md describes the workflow.
 */

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100" },
    seed: { type: "string" },
    jobs: { type: "string", default: "2" },
    batch: { type: "string", default: "25" },
    "no-shrink": { type: "boolean", default: false },
    "shrink-known": { type: "boolean", default: false },
    "shrink-seconds": { type: "string", default: "900" },
    "round-seconds": { type: "string", default: "150" },
    exclude: { type: "string", default: "" },
    features: { type: "string", default: "" },
    "fresh-oracle": { type: "boolean", default: false },
    "program-timeout": { type: "string", default: "60" },
    replay: { type: "string" },
    print: { type: "string" },
  },
});

const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const runs = Number(values.runs);
const jobs = Math.max(1, Number(values.jobs));
const batch = Math.max(1, Number(values.batch));
const exclude = values.exclude ? values.exclude.split(",") : [];
const features = values.features ? values.features.split(",") : [];
try {
  resolveFeatures(features);
} catch (err) {
  console.error(`fuzz: ${(err as Error).message}`);
  process.exit(2);
}
const base: WorkerArgs = { seed, exclude, features, shrinkSeconds: Number(values["round-seconds"]), keepOracle: !values["fresh-oracle"] };
const shrinkBudget = Number(values["shrink-seconds"]);
const programTimeout = Number(values["program-timeout"]);
const workerFile = path.join(import.meta.dirname, "worker.ts");
const started = Date.now();

const elapsed = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
};

/**
 * Runs one worker process to completion, handing its messages to `onMessage`. A worker checking
 * programs that reports nothing for `programTimeout` seconds is stopped, and the program it was
 * on is returned as `hungAt` (seen: a worker idle for minutes on a program that takes a second
 * when run again; the cause is not known yet, see docs/verify.md).
 */
function runWorker(args: WorkerArgs, onMessage: (m: WorkerMessage) => void): Promise<{ code: number; hungAt?: number }> {
  return new Promise((resolve) => {
    const child = fork(workerFile, workerArgv(args), { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    let nextIndex = args.from;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (args.from === undefined) return; // shrinking rounds have their own time limit
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        child.removeAllListeners("exit");
        child.kill("SIGKILL");
        resolve({ code: 1, hungAt: nextIndex });
      }, programTimeout * 1000);
    };
    arm();
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on("message", (m) => {
      const message = m as WorkerMessage;
      if (message.type === "result") nextIndex = message.index + 1;
      arm();
      onMessage(message);
    });
    child.on("exit", (code) => {
      clearTimeout(watchdog);
      if (code !== 0) console.log(`worker ${workerArgv(args).join(" ")} exited with ${code}\n${stderr}`);
      resolve({ code: code ?? 1 });
    });
  });
}

/**
 * Signatures of divergences still open in test/regressions (the `// signature:` line of each file
 * whose header says `// Status: OPEN`); a fixed bug's signature showing up again is shrunk anew.
 */
function knownSignatures(): Set<string> {
  const known = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(REGRESSIONS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  } catch {
    return known;
  }
  for (const f of files) {
    const text = readFileSync(path.join(REGRESSIONS_DIR, f), "utf8");
    const match = /^\/\/ signature: (.*)$/m.exec(text);
    if (match && /^\/\/ Status: OPEN/m.test(text)) known.add(match[1]!.trim());
  }
  return known;
}

function printShrunk(m: Extract<WorkerMessage, { type: "shrunk" | "shrink-lost" }>): void {
  if (m.type === "shrink-lost") {
    console.log(`  program ${m.index}: did not fail the same way again while shrinking (${m.signature})`);
    return;
  }
  const where = m.name ? `test/regressions/${m.name}.ts` : "(already in test/regressions)";
  console.log(`  shrunk program ${m.index} in ${m.tries} tries${m.interrupted ? " (time limit)" : ""}: ${m.summary}\n  -> ${where}`);
}

/** Shrinks program `index` in rounds (fresh worker each), resuming from the path reached. */
async function shrinkInRounds(index: number, signature: string | undefined, showSource: boolean): Promise<void> {
  let path = String(index);
  const start = Date.now();
  for (let round = 1; ; round++) {
    const last = (Date.now() - start) / 1000 + base.shrinkSeconds >= shrinkBudget;
    let shrunk: Extract<WorkerMessage, { type: "shrunk" }> | undefined;
    await runWorker({ ...base, replay: index, path, last, signature }, (m) => {
      if (m.type === "shrunk") shrunk = m;
      else if (m.type === "shrink-lost") printShrunk(m);
    });
    if (!shrunk) return;
    if (!shrunk.interrupted || last) {
      printShrunk(shrunk);
      if (showSource) console.log(shrunk.source);
      return;
    }
    console.log(`  shrinking program ${index}: round ${round} stopped after ${shrunk.tries} tries, resuming from path ${shrunk.path}`);
    path = shrunk.path;
    signature = shrunk.signature;
  }
}

async function replay(index: number): Promise<void> {
  console.log(`fuzz: shrinking program ${index} of seed ${seed}`);
  await shrinkInRounds(index, undefined, true);
}

async function fuzz(): Promise<void> {
  console.log(`fuzz: seed ${seed}, ${runs} programs, ${jobs} jobs, ${batch} per worker${exclude.length ? `, excluding ${exclude.join(",")}` : ""}${features.length ? `, features ${features.join(",")}` : ""}`);
  const known = knownSignatures();
  const counts = new Map<string, number>();
  const failures: Array<{ index: number; signature: string; summary: string }> = [];
  const firstBySignature = new Map<string, number>();
  const tasks: Array<() => Promise<unknown>> = [];
  const shrinks: Array<() => Promise<unknown>> = [];
  let done = 0;
  let programMs = 0;

  const options = `${exclude.length ? ` --exclude ${exclude.join(",")}` : ""}${features.length ? ` --features ${features.join(",")}` : ""}`;
  // Per optional feature: programs using it, and how many of them failed.
  const optional = new Set<string>(resolveFeatures(features));
  const byFeature = new Map<string, [number, number]>();
  const onMessage = (m: WorkerMessage) => {
    if (m.type !== "result") return printShrunk(m);
    done++;
    programMs += m.ms;
    counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
    for (const f of m.features.filter((f) => optional.has(f))) {
      const [all, failing] = byFeature.get(f) ?? [0, 0];
      byFeature.set(f, [all + 1, failing + (passed(m.kind) ? 0 : 1)]);
    }
    if (!passed(m.kind)) {
      failures.push({ index: m.index, signature: m.signature, summary: m.summary });
      const fresh = !firstBySignature.has(m.signature);
      if (fresh) firstBySignature.set(m.signature, m.index);
      console.log(`! program ${m.index}: ${m.summary}\n  replay: npm run fuzz -- --seed ${seed} --replay ${m.index}${options}`);
      if (fresh && !values["no-shrink"] && (values["shrink-known"] || !known.has(m.signature))) {
        shrinks.push(() => shrinkInRounds(m.index, m.signature, false));
      }
    }
    if (done % 10 === 0 || done === runs) {
      console.log(`[${done}/${runs}] ${elapsed()}, ${(programMs / done / 1000).toFixed(2)} s/program, ${failures.length} failing`);
    }
  };

  const hung: number[] = [];
  /** A range of programs; past a program that hangs, the rest of the range goes on in a fresh worker. */
  const checkRange = async (from: number, to: number): Promise<void> => {
    const { hungAt } = await runWorker({ ...base, from, to }, onMessage);
    if (hungAt === undefined) return;
    hung.push(hungAt);
    console.log(`? program ${hungAt}: no answer in ${programTimeout} s; checked again alone at the end`);
    if (hungAt + 1 < to) await checkRange(hungAt + 1, to);
  };
  for (let from = 0; from < runs; from += batch) {
    const to = Math.min(runs, from + batch);
    tasks.push(() => checkRange(from, to));
  }
  const next = (): (() => Promise<unknown>) | undefined => shrinks.shift() ?? tasks.shift();
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let task = next(); task; task = next()) await task();
    }),
  );

  // A program that hung is checked again alone, in a fresh worker; hanging twice is a failure.
  const hungTwice: number[] = [];
  for (const index of hung) {
    const { hungAt } = await runWorker({ ...base, from: index, to: index + 1 }, onMessage);
    if (hungAt !== undefined) hungTwice.push(index);
  }
  for (const index of hungTwice) {
    done++;
    counts.set("hang", (counts.get("hang") ?? 0) + 1);
    failures.push({ index, signature: "hang", summary: `no answer in ${programTimeout} s, twice` });
  }
  if (hung.length > 0) console.log(`\nhung once, then checked alone: ${hung.join(", ")} (${hungTwice.length} hung again)`);

  const bySignature = new Map<string, number[]>();
  for (const f of failures) bySignature.set(f.signature, [...(bySignature.get(f.signature) ?? []), f.index]);
  console.log(`\nfuzz done: seed ${seed}, ${done} programs in ${elapsed()} (${(programMs / Math.max(1, done) / 1000).toFixed(2)} s/program in a worker)`);
  console.log(`outcomes: ${[...counts].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`divergences and errors: ${failures.length} (${bySignature.size} kind(s))`);
  for (const [signature, indices] of bySignature) {
    console.log(`  ${signature}${known.has(signature) ? " [known]" : ""}: ${indices.length} program(s), e.g. ${indices.slice(0, 8).join(", ")}`);
  }
  if (byFeature.size > 0) {
    console.log(`optional features (programs using it: failing / all): ${[...byFeature].sort().map(([f, [all, failing]]) => `${f} ${failing}/${all}`).join(", ")}`);
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (values.print !== undefined) {
  const index = Number(values.print);
  const generator: GeneratorOptions = { exclude: exclude as GeneratorOptions["exclude"], features };
  const program = printProgram(fc.sample(programArbitrary(generator), { seed, numRuns: index + 1 })[index]!);
  console.log(program.source);
  console.log(JSON.stringify(program.scenario, null, 2));
  console.log(`features: ${program.features.join(" ")}`);
  for (const r of program.expectRefusal ?? []) console.log(`expected: refused with ${r.code} (at ${r.site}, where it is reachable)`);
} else if (values.replay !== undefined) await replay(Number(values.replay));
else await fuzz();
