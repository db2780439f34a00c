import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { CallbackAnswers, type Scenario } from "../../runtime/emulator/index.ts";
import type { Trace } from "../compare/index.ts";
import { CallbackResponder } from "./callback-responder.ts";
import { closeEnvironment, exclusive, openEnvironment } from "./environment.ts";
import { SdkRunnerError, thrownBySdkRunner } from "./errors.ts";
import { loadHandler } from "./load-handler.ts";
import { withLogsOnStderr } from "../logs-to-stderr.ts";
import { inWorld, installWorld, newWorld } from "../handler-world.ts";
import { Timeline, operationsIn } from "./timeline.ts";
import { observeWorker } from "./worker-patch.ts";
import { traceFromSdk } from "./trace-from-sdk.ts";

export { OracleError, SdkRunnerError } from "./errors.ts";
export { closeEnvironment as closeOracle } from "./environment.ts";

export interface OracleOptions {
  /** Export of the handler module to run (default "handler"). */
  exportName?: string;
  /**
   * Keep the SDK test environment (fake clock, checkpoint worker) open after the run, for the next
   * one; call closeOracle() when done. Faster for many scenarios in one process.
   */
  keepEnvironment?: boolean;
  /**
   * Extension point for `context.invoke` targets (and anything else a scenario needs on the
   * runner): called with the fresh runner before it runs, e.g.
   * `runner.registerDurableFunction("child-fn", childHandler)` / `registerFunction(...)`.
   */
  prepareRunner?: (runner: LocalDurableTestRunner) => void | Promise<void>;
  /** Real ms the execution must look idle before a timed-out callback fires (default 30). */
  settleMs?: number;
  /** Hands out the scenario's callback answers (default: a fresh one); the caller can ask it what went unused. */
  answers?: CallbackAnswers;
}

/**
 * Runs a durable handler under the official SDK's LocalDurableTestRunner for one scenario and
 * returns its Trace. Runs are serialised within the process (the SDK's fake clock is global).
 */
export function runOnSdk(handlerFile: string, scenario: Scenario, options: OracleOptions = {}): Promise<Trace> {
  return exclusive(async () => {
    const handler = await loadHandler(handlerFile, options.exportName);
    const timers = await openEnvironment();
    // The handler's clock and random sources, the same as the compiled side's (handler-world.ts).
    const timeline = new Timeline();
    const world = newWorld(() => timeline.now());
    const release = installWorld();
    observeWorker({
      request: (request) => {
        if (request.type === "CheckpointDurableExecutionState") timeline.onCheckpoint((request.params as { Updates?: [] } | undefined)?.Updates);
      },
      // The SDK may wait out a short delay inside one invocation: the answer that tells it the operation is ready moves the clock.
      response: (response) => timeline.onOperations(operationsIn(response)),
    });
    let stuck = false;
    try {
      let responder: CallbackResponder | undefined;
      const runner = new LocalDurableTestRunner({
        handlerFunction: (event, context) => {
          timeline.onOperations(operationsIn(event));
          return inWorld(world, () => responder!.track(handler)(event, context));
        },
      });
      responder = new CallbackResponder(runner, options.answers ?? new CallbackAnswers(scenario.callbacks), timers, {
        settleMs: options.settleMs ?? 30,
        pollMs: 2,
      });
      await options.prepareRunner?.(runner);
      responder.start();
      try {
        const result = await withLogsOnStderr(() => Promise.race([runner.run({ payload: scenario.event }), responder.fatal])).catch((err: unknown) => {
          throw thrownBySdkRunner(err) ? new SdkRunnerError(`the SDK's test runner failed, so the SDK gives no outcome to compare with: ${(err as Error).message}`) : err;
        });
        return traceFromSdk(result);
      } finally {
        responder.stop();
      }
    } catch (err) {
      // A run that cannot finish is still parked in the worker; end the worker with it.
      stuck = true;
      throw err;
    } finally {
      observeWorker({});
      release();
      if (stuck || !options.keepEnvironment) await closeEnvironment();
    }
  });
}
