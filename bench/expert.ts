/**
 * The cost anchor (issue 15): each sample's compiled machine against the machine an expert writes
 * by hand for the same workflow, over the same scenarios. The expert machines live outside the
 * project (`../shared/anchors/expert-asl/<sample>/`, or the folder D2S_EXPERT_ASL names), each with
 * a Step Functions Local mock config holding one test case per scenario file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compileFile } from "../compiler/index.ts";
import { runCompiled } from "../harness/index.ts";
import type { StateGraph } from "../asl/index.ts";
import {
  CallbackAnswers,
  callbackOnlyIntegrations,
  Execution,
  scenarioTokenListener,
  type MockConfig,
  type Scenario,
} from "../runtime/emulator/index.ts";

interface Counts {
  transitions: number;
  invocations: number;
}

const add = (a: Counts, b: Counts): Counts => ({ transitions: a.transitions + b.transitions, invocations: a.invocations + b.invocations });
const ZERO: Counts = { transitions: 0, invocations: 0 };

function scenarioFiles(sampleDir: string): string[] {
  const dir = path.join(sampleDir, "scenarios");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, f)) : [];
}

async function expertRun(dir: string, scenarioFile: string): Promise<Counts> {
  const definition = JSON.parse(readFileSync(path.join(dir, "machine.asl.json"), "utf8"));
  const config = JSON.parse(readFileSync(path.join(dir, "mock-config.json"), "utf8")) as MockConfig;
  const scenario = JSON.parse(readFileSync(scenarioFile, "utf8")) as Scenario;
  const answers = new CallbackAnswers(scenario.callbacks);
  const testCase = path.basename(scenarioFile, ".json");
  const execution: Execution = new Execution(definition, {
    input: scenario.event ?? {},
    ...callbackOnlyIntegrations(definition as StateGraph),
    mock: { config, testCase },
    onTaskToken: scenarioTokenListener(answers, () => execution),
  });
  const { stats } = await execution.start();
  return { transitions: stats.stateTransitions, invocations: stats.lambdaInvocations };
}

const ratio = (a: number, b: number) => (b === 0 ? "-" : `${(a / b).toFixed(2)}x`);

function row(name: string, scenarios: number | string, ours: Counts, expert: Counts | null): string {
  const e = expert ?? { transitions: NaN, invocations: NaN };
  return [
    name.padEnd(16),
    String(scenarios).padStart(9),
    String(ours.transitions).padStart(12),
    String(expert ? e.transitions : "-").padStart(8),
    (expert ? ratio(ours.transitions, e.transitions) : "-").padStart(7),
    String(ours.invocations).padStart(12),
    String(expert ? e.invocations : "-").padStart(8),
    (expert ? ratio(ours.invocations, e.invocations) : "-").padStart(7),
  ].join(" ");
}

/** Prints, per sample and in total, compiled transitions and invocations beside the expert's, as ratios. */
export async function benchAgainstExpert(root: string): Promise<void> {
  const expertRoot = process.env.D2S_EXPERT_ASL ?? path.resolve(root, "../shared/anchors/expert-asl");
  const haveExpert = existsSync(expertRoot);
  if (!haveExpert) console.log(`(no expert machines at ${expertRoot}: set D2S_EXPERT_ASL to their folder)`);
  const samplesDir = path.join(root, "samples");
  const samples = readdirSync(samplesDir).filter((d) => existsSync(path.join(samplesDir, d, "handler.ts"))).sort();
  console.log("sample           scenarios  transitions  expert   ratio  invocations  expert   ratio");
  let ours = ZERO;
  let expert: Counts | null = haveExpert ? ZERO : null;
  let count = 0;
  for (const sample of samples) {
    const handler = compileFile(path.join(samplesDir, sample, "handler.ts")).handlers[0];
    const files = scenarioFiles(path.join(samplesDir, sample));
    const expertDir = path.join(expertRoot, sample);
    const hasMachine = haveExpert && existsSync(path.join(expertDir, "machine.asl.json"));
    let mine = ZERO;
    let theirs: Counts | null = hasMachine ? ZERO : null;
    for (const file of files) {
      const { result } = await runCompiled(handler, JSON.parse(readFileSync(file, "utf8")));
      mine = add(mine, { transitions: result.stats.stateTransitions, invocations: result.stats.lambdaInvocations });
      if (theirs) theirs = add(theirs, await expertRun(expertDir, file));
    }
    console.log(row(sample, files.length, mine, theirs));
    ours = add(ours, mine);
    expert = expert && theirs ? add(expert, theirs) : null;
    count += files.length;
  }
  console.log(row("total", count, ours, expert));
}
