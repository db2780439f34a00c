import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The SDK's LocalDurableTestRunner installs fake timers process-wide; keep each file isolated.
    pool: "forks",
    // One file at a time: the SDK oracle's idle detection (harness/oracle) reads real time, and
    // two oracles competing for this machine's two cores made runs flaky.
    fileParallelism: false,
  },
});
