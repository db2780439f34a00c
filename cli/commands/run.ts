import type { Command } from "commander";
import {
  CallbackAnswers,
  callbackOnlyIntegrations,
  DefinitionError,
  Execution,
  MockConfigError,
  scenarioTokenListener,
  toRunReport,
  unusedCallbackWarning,
  type MockConfig,
  type RunOptions,
  type RunReport,
  type Scenario,
} from "../../runtime/emulator/index.ts";
import type { StateGraph } from "../../asl/index.ts";
import { run } from "../../api/index.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../exit.ts";
import { handlerName, isHandlerFile } from "../pick-handler.ts";
import { readJsonFile, readScenarioFile, readStateMachineFile } from "../read-json.ts";

interface RunFlags {
  input?: string;
  scenario?: string;
  mockConfig?: string;
  testCase?: string;
  stateMachine?: string;
  handler?: string;
  json?: boolean;
  cache?: boolean;
  optimize: boolean;
}

/** What a run hands back: the report, and the scenario's callback names it never used. */
interface Ran {
  report: RunReport;
  unusedCallbacks: string[];
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command("run")
    .description("Run a state machine (.asl.json) on the local emulator, or a durable handler (.ts) compiled on the fly")
    .argument("<file>", "a JSONata-mode state machine (.asl.json) or a durable handler (.ts, .mts, .cts, .js, .mjs, .cjs)")
    .option("--input <json>", "the execution input (the handler's event), as JSON")
    .option("--scenario <file>", "a scenario file: input event and callback answers")
    .option("--mock-config <file>", "a Step Functions Local mock configuration (MockConfigFile.json)")
    .option("--test-case <name>", "the test case of the mock configuration to use")
    .option("--state-machine <name>", "the StateMachines entry of the mock configuration (default: the one with the test case)")
    .option("--handler <export>", "which durable handler of the file, when it exports several")
    .option("--json", "print one JSON object: status, result or error, stats")
    .option("--no-cache", "compile and bundle a handler afresh (default: an unchanged one's build is reused)")
    .option("--no-optimize", "the plain mapping, every state the transform made, unfolded (for debugging)")
    .action(async (file: string, flags: RunFlags) => {
      const { report, unusedCallbacks } = isHandlerFile(file) ? await runHandler(file, flags) : await runDefinitionFile(file, flags);
      for (const name of unusedCallbacks) process.stderr.write(`${unusedCallbackWarning(name)}\n`);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : describe(report));
      setExit(report.status === "SUCCEEDED" ? EXIT_OK : EXIT_FAILURE);
    });
}

async function runDefinitionFile(file: string, flags: RunFlags): Promise<Ran> {
  if (flags.handler) throw new UsageError("--handler applies to handler files only");
  const definition = readStateMachineFile(file);
  const scenario = scenarioFrom(flags);
  if (scenario.handler !== undefined) throw new UsageError(`the scenario's "handler" applies to handler files only`);
  const answers = new CallbackAnswers(scenario.callbacks);
  const options: RunOptions = {
    input: scenario.event ?? {},
    ...callbackOnlyIntegrations(definition as unknown as StateGraph),
    ...mockFrom(flags),
  };
  let execution: Execution;
  try {
    execution = new Execution(definition, { ...options, onTaskToken: scenarioTokenListener(answers, () => execution) });
  } catch (err) {
    if (err instanceof DefinitionError) return { report: definitionFailure(err), unusedCallbacks: [] };
    if (err instanceof MockConfigError) throw new UsageError(err.message);
    throw err;
  }
  const report = toRunReport(await execution.start());
  return { report, unusedCallbacks: answers.unused() };
}

async function runHandler(file: string, flags: RunFlags): Promise<Ran> {
  if (flags.mockConfig || flags.testCase) throw new UsageError("--mock-config and --test-case apply to .asl.json machines only");
  const scenario = scenarioFrom(flags);
  return run(file, scenario, { cache: flags.cache, handler: handlerName(flags.handler, [scenario]), optimize: flags.optimize });
}

function scenarioFrom(flags: RunFlags): Scenario {
  if (flags.input !== undefined && flags.scenario !== undefined) throw new UsageError("give --input or --scenario, not both");
  if (flags.scenario !== undefined) return readScenarioFile(flags.scenario);
  if (flags.input === undefined) return {};
  try {
    return { event: JSON.parse(flags.input) };
  } catch (err) {
    throw new UsageError(`--input is not valid JSON (${(err as Error).message})`);
  }
}

function mockFrom(flags: RunFlags): Pick<RunOptions, "mock"> {
  if (flags.mockConfig === undefined && flags.testCase === undefined) return {};
  if (flags.mockConfig === undefined || flags.testCase === undefined) throw new UsageError("--mock-config and --test-case go together");
  const config = readJsonFile(flags.mockConfig, "mock configuration") as MockConfig;
  return { mock: { config, testCase: flags.testCase, ...(flags.stateMachine && { stateMachineName: flags.stateMachine }) } };
}


function definitionFailure(err: DefinitionError): RunReport {
  return {
    status: "FAILED",
    error: { errorType: "DefinitionError", errorMessage: err.problems.map((p) => `${p.path}: ${p.message}`).join("\n") },
    stats: { stateTransitions: 0, lambdaInvocations: 0, historyEvents: 0, virtualSeconds: 0 },
  };
}

/** The report for a person: status, then the result or the error, then the counts. */
function describe(report: RunReport): string {
  const { stats } = report;
  const counts = `${stats.stateTransitions} state transitions, ${stats.lambdaInvocations} Lambda invocations, ${stats.historyEvents} history events, ${stats.virtualSeconds} s of virtual time`;
  if (report.status === "SUCCEEDED") return `SUCCEEDED\nResult: ${JSON.stringify(report.result, null, 2)}\n(${counts})\n`;
  const { errorType, errorMessage } = report.error!;
  if (errorType === "DefinitionError") return `FAILED: invalid state machine definition\n${indent(errorMessage)}\n`;
  return `FAILED\nError: ${errorType}\nCause: ${errorMessage}\n(${counts})\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
