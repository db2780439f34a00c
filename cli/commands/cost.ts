import path from "node:path";
import type { Command } from "commander";
import type { Scenario } from "../../runtime/emulator/index.ts";
import { EXIT_OK, UsageError } from "../exit.ts";
import { handlerName, pickHandler } from "../pick-handler.ts";
import { readJsonFile, readScenarioFile } from "../read-json.ts";
import { DEFAULT_PRICES, scenarioCost, type Prices, type ScenarioCost } from "./cost-model.ts";

interface CostFlags {
  scenario?: string[];
  prices?: string;
  json?: boolean;
  handler?: string;
  optimize: boolean;
}

export function registerCost(program: Command, setExit: (code: number) => void): void {
  program
    .command("cost")
    .description("Per scenario: state transitions, Lambda invocations and the price per 1 million executions on Step Functions Standard and Express, beside the handler as a Lambda durable function")
    .argument("<handler.ts>", "a TypeScript file that exports a durable handler")
    .option("--scenario <file...>", "scenario files to run (default: the handler's event {} with no callbacks)")
    .option("--prices <file>", "a JSON object overriding prices of the built-in table (same keys as cost-prices.json)")
    .option("--handler <export>", "which durable handler of the file, when it exports several")
    .option("--json", "print one JSON object: {prices, scenarios: [{scenario, ...}]}")
    .option("--no-optimize", "the plain mapping, every state the transform made, unfolded (for debugging)")
    .addHelpText("after", "\nExit codes: 0 ok; 1 compile errors; 2 usage errors.")
    .action(async (file: string, flags: CostFlags) => {
      const prices = pricesFrom(flags.prices);
      const scenarios: Array<[string, Scenario]> = (flags.scenario ?? []).map((f) => [path.basename(f, ".json"), readScenarioFile(f)]);
      if (scenarios.length === 0) scenarios.push(["(empty event)", {}]);
      const handler = pickHandler(file, handlerName(flags.handler, scenarios.map(([, s]) => s)), { optimize: flags.optimize });
      const { runCompiledHandler: runCompiled } = await import("../../api/index.ts");
      const rows: Array<ScenarioCost & { scenario: string; status: string }> = [];
      for (const [name, scenario] of scenarios) {
        const run = await runCompiled(handler, scenario);
        rows.push({ scenario: name, status: run.result.status, ...scenarioCost(run, handler.definition, handler.sourceMap.states, prices) });
      }
      process.stdout.write(flags.json ? `${JSON.stringify({ prices, scenarios: rows })}\n` : table(rows, prices));
      setExit(EXIT_OK);
    });
}

function pricesFrom(file: string | undefined): Prices {
  if (file === undefined) return DEFAULT_PRICES;
  const given = readJsonFile(file, "prices") as Record<string, unknown>;
  if (!given || typeof given !== "object" || Array.isArray(given)) throw new UsageError(`${file}: prices must be a JSON object`);
  for (const [key, value] of Object.entries(given)) {
    if (!(key in DEFAULT_PRICES)) throw new UsageError(`${file}: unknown price "${key}" (known: ${Object.keys(DEFAULT_PRICES).join(", ")})`);
    if (key !== "source" && key !== "date" && (typeof value !== "number" || !(value >= 0))) throw new UsageError(`${file}: price "${key}" must be a number of at least 0`);
  }
  return { ...DEFAULT_PRICES, ...given } as Prices;
}

const dollars = (n: number | null) => (n === null ? "-" : `$${n.toFixed(2)}`);

function table(rows: Array<ScenarioCost & { scenario: string; status: string }>, prices: Prices): string {
  const head = ["scenario", "status", "transitions", "steps", "glue", "Standard", "Express", "durable ops", "durable", ""];
  const body = rows.map((r) => [
    r.scenario, r.status, String(r.transitions), String(r.invocations.steps), String(r.invocations.glue),
    dollars(r.perMillion.standard), dollars(r.perMillion.express), String(r.durable.operations), dollars(r.perMillion.durable),
    r.expressBlocker ? `(no Express: ${r.expressBlocker})` : "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [
    "Price per 1 million executions (steps and glue: Lambda invocations; durable: as a Lambda durable function).",
    line(head), ...body.map(line),
    `Prices of ${prices.date}: ${prices.source}.`,
    `Lambda duration assumed ${prices.lambdaGbSecondsPerInvocation} GB-s per invocation; override with --prices.`,
    "",
  ].join("\n");
}
