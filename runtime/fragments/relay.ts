/**
 * The callback relay (docs/internals.md, "The callback relay"): a createCallback whose id is
 * handed on before its promise is awaited gets an id of ours, and an answer to it may come
 * before the Task at the await exists. The relay keeps one item per id, with the Task's token and
 * the answer, whichever came: each side writes its half atomically and reads the item back, so
 * whoever comes second sees both and sends the answer to the token (SendTaskSuccess /
 * SendTaskFailure). Exactly one side sends, in either order and when both run at once.
 */
import type { RelayEvent, RelayOutcome } from "../../protocol/index.ts";

/** One callback's item: the token of the Task that waits for it, and its answer, as far as they came. */
export interface RelayItem {
  token?: string;
  /** When an answer comes too late (ms since the epoch), known from the Task's registration on. */
  deadline?: number | null;
  outcome?: RelayOutcome;
  answeredAt?: number;
}

/** The relay's table: each call is one atomic write of one item, returning the item as it is after it. */
export interface RelayStore {
  /** Sets the token and deadline on the id's item (made if need be). */
  register(id: string, token: string, deadline: number | null): Promise<RelayItem>;
  /** Sets the answer on the id's item (made if need be) unless it has one already: then undefined. */
  answer(id: string, outcome: RelayOutcome, at: number): Promise<RelayItem | undefined>;
}

/** Where the answer goes: SendTaskSuccess / SendTaskFailure of Step Functions (or the emulator). */
export interface TaskAnswers {
  succeed(token: string, output: string): Promise<void>;
  fail(token: string, error: string, cause: string): Promise<void>;
}

export interface RelayBackend {
  store: RelayStore;
  tasks: TaskAnswers;
  now(): number;
}

/** What the relay did: sent the answer to the token, kept the answer for a Task still to come, or registered the token to wait. */
export type RelayReply = { relayed: "sent" | "kept" | "waiting" | "late" };

/** A refused answer, as the Lambda error the answerer sees: its name says why. */
export class RelayError extends Error {
  constructor(name: "CallbackAlreadyAnswered" | "CallbackTimedOut", message: string) {
    super(message);
    this.name = name;
  }
}

const inTime = (at: number | undefined, deadline: number | null | undefined) => at !== undefined && (deadline === null || deadline === undefined || at < deadline);

export async function relay(event: RelayEvent, backend: RelayBackend): Promise<RelayReply> {
  const { store, tasks } = backend;
  if (event.relay === "register") {
    const item = await store.register(event.callbackId, event.token, event.deadline);
    if (!item.outcome) return { relayed: "waiting" };
    // An answer after the deadline came when the SDK's callback had timed out: the Task's own timeout fires.
    if (!inTime(item.answeredAt, event.deadline)) return { relayed: "late" };
    await send(tasks, event.token, item.outcome);
    return { relayed: "sent" };
  }
  const at = backend.now();
  const item = await store.answer(event.callbackId, event.outcome, at);
  if (!item) throw new RelayError("CallbackAlreadyAnswered", `callback ${event.callbackId} has been answered already`);
  if (!item.token) return { relayed: "kept" };
  if (!inTime(at, item.deadline)) throw new RelayError("CallbackTimedOut", `callback ${event.callbackId} has timed out`);
  await send(tasks, item.token, event.outcome);
  return { relayed: "sent" };
}

function send(tasks: TaskAnswers, token: string, outcome: RelayOutcome): Promise<void> {
  return "output" in outcome ? tasks.succeed(token, outcome.output) : tasks.fail(token, outcome.error, outcome.cause);
}

/** The relay's table in memory, for local runs (`run`, `verify`, `serve`): one process holds it. */
export class MemoryRelayStore implements RelayStore {
  private readonly items = new Map<string, RelayItem>();

  async register(id: string, token: string, deadline: number | null): Promise<RelayItem> {
    return this.put(id, { token, deadline });
  }

  async answer(id: string, outcome: RelayOutcome, at: number): Promise<RelayItem | undefined> {
    if (this.items.get(id)?.outcome) return undefined;
    return this.put(id, { outcome, answeredAt: at });
  }

  private put(id: string, part: RelayItem): RelayItem {
    const item = { ...this.items.get(id), ...part };
    this.items.set(id, item);
    return { ...item };
  }
}
