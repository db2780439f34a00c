import { performance } from "node:perf_hooks";
import { definitionProblems, runMachine } from "../runtime/emulator/index.ts";

/**
 * A machine of 10,000+ state transitions (near the 25,000-event history limit): a counting loop of Pass and Choice states that reads and
 * assigns variables, then a Map whose 200 iterations run a Choice and two Pass states each.
 */
const LOOPS = 5_000;
const ITEMS = 200;
const definition = {
  QueryLanguage: "JSONata",
  StartAt: "Init",
  States: {
    Init: { Type: "Pass", Assign: { i: 0, total: 0 }, Next: "Count" },
    Count: { Type: "Pass", Assign: { i: "{% $i + 1 %}", total: "{% $total + $i %}" }, Next: "More?" },
    "More?": { Type: "Choice", Choices: [{ Condition: `{% $i < ${LOOPS} %}`, Next: "Count" }], Default: "Fan out" },
    "Fan out": {
      Type: "Map",
      Items: `{% $range(1, ${ITEMS}) %}`,
      MaxConcurrency: 0,
      ItemProcessor: {
        StartAt: "Even?",
        States: {
          "Even?": { Type: "Choice", Choices: [{ Condition: "{% $states.input % 2 = 0 %}", Next: "Half" }], Default: "Keep" },
          Half: { Type: "Pass", Output: "{% $states.input / 2 %}", Next: "Keep" },
          Keep: { Type: "Pass", End: true },
        },
      },
      Output: { total: "{% $total %}", sum: "{% $sum($states.result) %}" },
      End: true,
    },
  },
};

export async function benchEmulator(): Promise<void> {
  // Validation (asl-validator, about 0.1 s the first time) is timed apart from the run itself.
  const validationStarted = performance.now();
  definitionProblems(definition);
  const validationMs = performance.now() - validationStarted;
  const started = performance.now();
  const result = await runMachine(definition);
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== "SUCCEEDED") throw new Error(`bench machine failed: ${result.error} ${result.cause}`);
  const { stateTransitions, historyEvents } = result.stats;
  const memory = process.memoryUsage();
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`  machine: counting loop (${LOOPS} rounds) + Map of ${ITEMS} items`);
  console.log(`  ${stateTransitions} state transitions, ${historyEvents} history events in ${seconds.toFixed(2)} s`);
  console.log(`  throughput: ${Math.round(stateTransitions / seconds)} state transitions/s (validation before the run: ${validationMs.toFixed(0)} ms)`);
  console.log(`  peak RSS: ${mib(process.resourceUsage().maxRSS * 1024)} MiB; heap used now: ${mib(memory.heapUsed)} MiB`);
}
