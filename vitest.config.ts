import { configDefaults, defineConfig } from "vitest/config";
import { SlowestFirst } from "./test/slowest-first.ts";

/**
 * Test files that time callbacks out under the SDK oracle. The oracle fires a callback's timeout
 * once the execution has looked idle for some real milliseconds (harness/oracle/callback-responder.ts),
 * and a machine busy with another test file can make a run look idle while the SDK's runner still
 * has work queued, so these run alone, one at a time, after all the others. Every other file,
 * oracle runs without timed-out callbacks included, reads no real time for its outcome and runs
 * two at a time (the machine's two cores); the oracle fails any timeout there (D2S_TEST_SIDE_BY_SIDE).
 */
const ALONE = [
  "test/compiler/equivalence-callbacks.test.ts",
  "test/oracle/oracle.test.ts",
  "test/regressions/regressions.test.ts",
  "test/samples.test.ts",
  "test/fuzz/fuzz.test.ts",
  "test/fuzz/generator.test.ts",
];

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // The SDK's LocalDurableTestRunner installs fake timers process-wide; keep each file isolated.
  pool: "forks",
} as const;

export default defineConfig({
  test: {
    sequence: { sequencer: SlowestFirst },
    projects: [
      {
        test: {
          ...shared,
          name: "side-by-side",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          // The oracle refuses to time a callback out in these files (harness/oracle/callback-responder.ts), so a file that needs it fails every time, not now and then.
          env: { D2S_TEST_SIDE_BY_SIDE: "1" },
        },
      },
      { test: { ...shared, name: "alone", include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
