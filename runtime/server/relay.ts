import type { RelayEvent } from "../../protocol/index.ts";
import { MemoryRelayStore, relay, type RelayBackend } from "../fragments/relay.ts";
import type { Executions } from "./executions.ts";

/**
 * The callback relay of `serve` (runtime/fragments/relay.ts), in memory for as long as it runs: a
 * relay event invoked on any of its functions (by a machine's Task, or `durable2sfn callback`
 * through the Lambda API) is answered here, where the executions' task tokens are, rather than
 * in the function's own process, which has neither the table nor the tokens.
 */
export function serveRelay(executions: Executions): (event: RelayEvent) => Promise<unknown> {
  const backend: RelayBackend = {
    store: new MemoryRelayStore(),
    // serve's machines run on the wall clock ($millis() of the marker state is real time).
    now: Date.now,
    tasks: {
      succeed: async (taskToken, output) => executions.sendTaskSuccess({ taskToken, output }),
      fail: async (taskToken, error, cause) => executions.sendTaskFailure({ taskToken, error, cause }),
    },
  };
  return (event) => relay(event, backend);
}
