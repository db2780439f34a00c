import { countInvocations, stateOfEvents, type CompiledRun, type OperationRecord } from "../../harness/index.ts";
import type { SourceMapEntry } from "../../compiler/index.ts";
import defaults from "./cost-prices.json" with { type: "json" };

/**
 * What one execution costs, three ways: the compiled machine on Step Functions Standard, the
 * same on Express (where it may run there), and the handler as a Lambda durable function. The
 * prices are data (cost-prices.json, with their source and date); Lambda duration is an assumed
 * figure per invocation (lambdaGbSecondsPerInvocation: 128 MB for 100 ms), since a local run
 * cannot measure it.
 */
export type Prices = typeof defaults;
export const DEFAULT_PRICES: Prices = defaults;

export interface ScenarioCost {
  transitions: number;
  /** Lambda invocations of the user's code (steps, submitters, checks, invoked functions) and of glue code. */
  invocations: { steps: number; glue: number };
  /** Why the machine cannot run as an Express workflow, or null. */
  expressBlocker: string | null;
  durable: { operations: number; invocations: number; bytesWritten: number };
  /** Dollars per 1 million executions. */
  perMillion: { standard: number; express: number | null; durable: number };
}

/**
 * The durable function's side, from the operations of the run (the same under the SDK: verify
 * checks it): each operation and each further attempt is a checkpointed operation; the handler
 * is invoked once, and again after each wait, callback, invoke, condition poll and step retry
 * (it suspends there). Data written: the results of those operations and of the execution.
 */
function durableSide(run: CompiledRun, states: Record<string, SourceMapEntry>): ScenarioCost["durable"] {
  let operations = 0;
  let invocations = 1;
  const visit = (records: OperationRecord[]) => {
    for (const r of records) {
      const extra = Math.max(0, (r.attempts ?? 1) - 1);
      operations += 1 + extra;
      invocations += extra;
      if (["wait", "waitForCallback", "createCallback", "invoke"].includes(r.kind)) invocations += 1;
      if (r.children) visit(r.children);
    }
  };
  visit(run.trace.operations);
  let bytesWritten = 0;
  const names = stateOfEvents(run.result.history);
  for (const event of run.result.history) {
    const ofOperation = event.type === "TaskSucceeded" && states[names.get(event.id) ?? ""]?.operation;
    const details = (ofOperation ? event.taskSucceededEventDetails : event.executionSucceededEventDetails) as { output?: string } | undefined;
    if (details?.output) bytesWritten += Buffer.byteLength(details.output);
  }
  return { operations, invocations, bytesWritten };
}

export function expressBlocker(definition: unknown, virtualSeconds: number): string | null {
  if (JSON.stringify(definition).includes(".waitForTaskToken")) return "waits for a task token (callbacks)";
  if (virtualSeconds >= 300) return `runs ${virtualSeconds} s, Express allows under 5 minutes`;
  return null;
}

export function scenarioCost(run: CompiledRun, definition: unknown, states: Record<string, SourceMapEntry>, p: Prices): ScenarioCost {
  const transitions = run.result.stats.stateTransitions;
  const invocations = countInvocations(run, states);
  const lambda = (n: number) => n * (p.lambdaPerRequest + p.lambdaGbSecondsPerInvocation * p.lambdaPerGbSecond);
  const calls = invocations.steps + invocations.glue;
  const blocker = expressBlocker(definition, run.result.stats.virtualSeconds);
  const seconds = Math.max(0.1, Math.ceil(run.result.stats.virtualSeconds * 10) / 10);
  const durable = durableSide(run, states);
  const million = 1e6;
  return {
    transitions,
    invocations,
    expressBlocker: blocker,
    durable,
    perMillion: {
      standard: million * (transitions * p.standardPerTransition + lambda(calls)),
      express: blocker ? null : million * (p.expressPerRequest + seconds * p.expressMinimumGb * p.expressPerGbSecond + lambda(calls)),
      durable: million * (durable.operations * p.durablePerOperation + (durable.bytesWritten / 1024 ** 3) * p.durablePerGbWritten + lambda(durable.invocations)),
    },
  };
}
