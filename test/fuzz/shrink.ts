import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { printProgram, programArbitrary, type GeneratedProgram, type GeneratorOptions, type ProgramNode } from "./generator/index.ts";
import { checkProgram, describeOutcome, signatureOf, type Outcome } from "./runner.ts";

/**
 * Shrinking and regression files. Program `index` of a run with `seed` is the index-th value
 * fast-check generates from that seed (the same as `fc.sample(arb, {seed, numRuns})[index]`), so
 * it is replayed with `{seed, path: String(index)}` and shrunk by fast-check. A smaller candidate
 * counts as failing only when it fails the same way (same signatureOf), so the case does not drift
 * into another bug. Shrinking can stop after a time limit and go on later (in a fresh process,
 * which keeps memory bounded) from the path fast-check reports (`"42:3:0:1"`).
 */

export const REGRESSIONS_DIR = path.join(import.meta.dirname, "../regressions");

export interface Shrunk {
  program: GeneratedProgram;
  outcome: Outcome;
  /** Candidates tried while shrinking. */
  tries: number;
  interrupted: boolean;
  /** fast-check's path to this counterexample: shrinking resumes from it. */
  path: string;
}

export interface ShrinkOptions {
  seed: number;
  /** Where to start: the program's index, or a path reported by an earlier, interrupted shrink. */
  path: string;
  generator?: GeneratorOptions;
  /** Stop shrinking after this many real seconds and keep the smallest failure so far. */
  timeLimitSeconds?: number;
  keepOracle?: boolean;
}

export async function shrinkFailure(signature: string, options: ShrinkOptions): Promise<Shrunk | undefined> {
  let tries = 0;
  let last: { program: GeneratedProgram; outcome: Outcome } | undefined;
  let lastPath = options.path;
  const property = fc.asyncProperty(programArbitrary(options.generator), async (node: ProgramNode) => {
    tries++;
    const program = printProgram(node);
    const outcome = await checkProgram(program, { keepOracle: options.keepOracle });
    if (signatureOf(outcome) !== signature) return true;
    last = { program, outcome };
    return false;
  });
  const result = await fc.check(property, {
    seed: options.seed,
    path: options.path,
    interruptAfterTimeLimit: (options.timeLimitSeconds ?? 600) * 1000,
    markInterruptAsFailure: false,
  });
  if (result.counterexamplePath) lastPath = result.counterexamplePath;
  if (!result.failed || !result.counterexample) return last && { ...last, tries, interrupted: result.interrupted, path: lastPath };
  const program = printProgram(result.counterexample[0]);
  // The last failing run is not necessarily the counterexample: run it once more for its outcome.
  const outcome = last && last.program.source === program.source ? last.outcome : await checkProgram(program, { keepOracle: options.keepOracle });
  return { program, outcome, tries, interrupted: result.interrupted, path: lastPath };
}

const SLUGS: Array<[RegExp, string]> = [
  [/^divergence operations(\[\]\.children)*\[\] extra /, "extra-operation"],
  [/^divergence operations(\[\]\.children)*\[\] missing /, "missing-operation"],
  [/^divergence .*\.attempts$/, "attempts"],
  [/^divergence .*\.waitSeconds$/, "wait-seconds"],
  [/^divergence .*\.status$/, "operation-status"],
  [/^divergence .*\.name$/, "operation-name"],
  [/^divergence .*\.kind$/, "operation-kind"],
  [/^divergence error\.errorType$/, "error-type"],
  [/^divergence error\.errorMessage$/, "error-message"],
  [/^divergence result/, "result"],
  [/^divergence status$/, "status"],
  [/^compile-error/, "compile-error"],
  [/^oracle-error/, "oracle-error"],
  [/^crash/, "crash"],
  [/^missed-refusal/, "missed-refusal"],
];

export function slugOf(signature: string): string {
  return SLUGS.find(([re]) => re.test(signature))?.[1] ?? "divergence";
}

/**
 * Writes test/regressions/<slug>-<hash>.ts and .scenarios.json (the format of
 * test/fixtures/compiler). Returns the base name, or undefined when the same program is there.
 */
export function writeRegression(shrunk: Shrunk, meta: { seed: number; index: string; dir?: string }): string | undefined {
  const dir = meta.dir ?? REGRESSIONS_DIR;
  mkdirSync(dir, { recursive: true });
  const { program, outcome } = shrunk;
  const hash = createHash("sha1").update(program.source).update(JSON.stringify(program.scenario)).digest("hex").slice(0, 6);
  if (readdirSync(dir).some((f) => f.includes(hash))) return undefined;
  const name = `${slugOf(signatureOf(outcome))}-${hash}`;
  if (existsSync(path.join(dir, `${name}.ts`))) return undefined;
  const diff = outcome.kind === "divergence" ? outcome.verification.diff : outcome.kind === "equal" || outcome.kind === "refused" ? "" : outcome.message;
  const header = [
    `// Found by the fuzzer: npm run fuzz -- --seed ${meta.seed} --replay ${meta.index} (shrunk to path ${shrunk.path}${shrunk.interrupted ? ", time limit" : ""}).`,
    "// Status: OPEN (list it in KNOWN_FAILING of regressions.test.ts until the compiler is fixed).",
    `// ${describeOutcome(outcome)}`,
    `// signature: ${signatureOf(outcome)}`,
    "//",
    ...diff
      .trimEnd()
      .split("\n")
      .map((l) => `// ${l}`.trimEnd()),
    "",
  ];
  writeFileSync(path.join(dir, `${name}.ts`), header.join("\n") + program.source);
  writeFileSync(path.join(dir, `${name}.scenarios.json`), JSON.stringify([program.scenario], null, 2) + "\n");
  return name;
}
