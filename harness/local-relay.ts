import { MemoryRelayStore, relay, type RelayBackend, type RelayReply } from "../runtime/fragments/relay.ts";
import type { CallbackAnswer, Execution } from "../runtime/emulator/index.ts";
import type { RelayEvent, RelayOutcome } from "../protocol/index.ts";

/**
 * The callback relay of a local run (runtime/fragments/relay.ts over an in-memory table), its
 * answers sent to the emulator's task tokens, and the scenario's answers delivered through it by
 * the callback's id: at createCallback (the default, as the SDK's oracle answers), or once the
 * Task at the await waits (`at: "await"`).
 */
export class LocalRelay {
  private readonly store = new MemoryRelayStore();
  /** Answers to send once their Task waits, by its token. */
  private readonly atAwait = new Map<string, { callbackId: string; outcome: RelayOutcome }>();

  constructor(private readonly execution: () => Execution) {}

  /** A relay event of the machine at virtual time `now`; `answer` is the scenario's for a registering callback. */
  async handle(event: RelayEvent, now: number, answer?: CallbackAnswer): Promise<RelayReply> {
    if (event.relay === "register" && answer && !("timeout" in answer)) {
      const outcome = outcomeOf(answer);
      if (answer.at === "await") this.atAwait.set(event.token, { callbackId: event.callbackId, outcome });
      else await this.store.answer(event.callbackId, outcome, event.created);
    }
    return relay(event, this.backend(now));
  }

  /** The Task of `token` waits: its answer at the await, if the scenario gives one. */
  async waiting(token: string, now: number): Promise<void> {
    const pending = this.atAwait.get(token);
    if (!pending) return;
    this.atAwait.delete(token);
    await relay({ relay: "answer", ...pending }, this.backend(now));
  }

  private backend(now: number): RelayBackend {
    return {
      store: this.store,
      now: () => now,
      tasks: {
        succeed: async (token, output) => this.execution().sendTaskSuccess(token, output),
        fail: async (token, error, cause) => this.execution().sendTaskFailure(token, error, cause),
      },
    };
  }
}

/** The scenario's answer as the relay sends it: the raw string as a JSON string, as the SDK hands it over. */
export function outcomeOf(answer: Exclude<CallbackAnswer, { timeout: true }>): RelayOutcome {
  return "success" in answer ? { output: JSON.stringify(answer.success) } : { error: answer.failure.errorType, cause: answer.failure.errorMessage };
}
