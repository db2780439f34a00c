import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { closeOracle } from "../../harness/verify.ts";
import { printProgram, programArbitrary, type GeneratorOptions } from "./generator/index.ts";
import { checkProgram, describeOutcome, passed } from "./runner.ts";

/**
 * A bounded fuzz run inside `npm test`: FUZZ_RUNS generated programs (default 40: ~0.5 s each on
 * an idle 2-core machine) of seed FUZZ_SEED, each compiled and verified
 * against the SDK. A failure names the program; `npm run fuzz -- --seed S --replay I` shrinks it
 * into test/regressions/ (docs/verify.md, "Regression workflow"). Longer runs:
 * `npm run fuzz -- --runs N`.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

/**
 * Grammar left out of this run while a known divergence is open (each names its regression
 * file), so that the suite stays green and still checks everything else. Empty the list as the
 * bugs are fixed. The fuzz CLI generates the full grammar unless told `--exclude`.
 */
export const OPEN_BUGS_EXCLUDE: NonNullable<GeneratorOptions["exclude"]> = [
  // (empty: test/regressions/throw-before-step.ts excluded "throw" and "rethrow" until 53cd534)
];

afterAll(() => closeOracle());

it(`${RUNS} generated programs behave as under the SDK (seed ${SEED})`, async () => {
  const nodes = fc.sample(programArbitrary({ exclude: OPEN_BUGS_EXCLUDE }), { seed: SEED, numRuns: RUNS });
  const failures: string[] = [];
  for (const [index, node] of nodes.entries()) {
    const outcome = await checkProgram(printProgram(node), { keepOracle: true });
    if (passed(outcome.kind)) continue;
    const exclude = OPEN_BUGS_EXCLUDE.length > 0 ? ` --exclude ${OPEN_BUGS_EXCLUDE.join(",")}` : "";
    failures.push(`program ${index}: ${describeOutcome(outcome)}\n  shrink it: npm run fuzz -- --seed ${SEED} --replay ${index}${exclude}`);
  }
  expect(failures).toEqual([]);
}, RUNS * 15_000);
