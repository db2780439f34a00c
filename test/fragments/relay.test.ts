import { describe, expect, it } from "vitest";
import { DynamoRelayStore } from "../../runtime/fragments/relay-aws.ts";
import { MemoryRelayStore, relay, type RelayBackend, type RelayItem, type RelayStore } from "../../runtime/fragments/relay.ts";
import type { RelayOutcome } from "../../protocol/index.ts";

/**
 * The callback relay (runtime/fragments/relay.ts): the Task at the await registers its token, an
 * answer comes by the callback's id, in either order or both at once; exactly one of them sends
 * the answer to the token.
 */
type Sent = { token: string; outcome: RelayOutcome };

function backend(store: RelayStore = new MemoryRelayStore(), now = 1_000): RelayBackend & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    store,
    now: () => now,
    tasks: {
      succeed: async (token, output) => void sent.push({ token, outcome: { output } }),
      fail: async (token, error, cause) => void sent.push({ token, outcome: { error, cause } }),
    },
  };
}

const register = (token = "AQB4token", deadline: number | null = null) => ({ relay: "register" as const, callbackId: "cb-1", token, created: 0, deadline });
const answer = (outcome: RelayOutcome = { output: '"yes"' }) => ({ relay: "answer" as const, callbackId: "cb-1", outcome });

/** A store whose writes happen at once (as one DynamoDB UpdateItem does) but whose replies come back after `delays` turns of the event loop. */
function slowReplies(delays: number[]): RelayStore {
  const inner = new MemoryRelayStore();
  let call = 0;
  const later = <T>(value: Promise<T>) => value.then((v) => new Promise<T>((resolve) => setTimeout(() => resolve(v), delays[call++ % delays.length])));
  return {
    register: (id, token, deadline) => later(inner.register(id, token, deadline)),
    answer: (id, outcome, at) => later(inner.answer(id, outcome, at)),
  };
}

describe("the callback relay", () => {
  it("sends an answer that came before the Task registered, when the Task registers", async () => {
    const b = backend();
    expect(await relay(answer(), b)).toEqual({ relayed: "kept" });
    expect(b.sent).toEqual([]);
    expect(await relay(register(), b)).toEqual({ relayed: "sent" });
    expect(b.sent).toEqual([{ token: "AQB4token", outcome: { output: '"yes"' } }]);
  });

  it("sends an answer that comes after the Task registered, when it comes", async () => {
    const b = backend();
    expect(await relay(register(), b)).toEqual({ relayed: "waiting" });
    expect(await relay(answer({ error: "Rejected", cause: "no" }), b)).toEqual({ relayed: "sent" });
    expect(b.sent).toEqual([{ token: "AQB4token", outcome: { error: "Rejected", cause: "no" } }]);
  });

  it.each([
    ["both at once, answer first", [0, 0], true],
    ["both at once, register first", [0, 0], false],
    ["the first reply slower", [5, 0], true],
    ["the second reply slower", [0, 5], false],
  ])("sends exactly once when they race: %s", async (_label, delays, answerFirst) => {
    const b = backend(slowReplies(delays as number[]));
    const calls = answerFirst ? [relay(answer(), b), relay(register(), b)] : [relay(register(), b), relay(answer(), b)];
    const replies = (await Promise.all(calls)).map((r) => r.relayed).sort();
    expect(b.sent).toEqual([{ token: "AQB4token", outcome: { output: '"yes"' } }]);
    // The one that wrote second sent; the first kept its half.
    expect(replies).toEqual(answerFirst ? ["kept", "sent"] : ["sent", "waiting"]);
  });

  it("registering again (a retried Task) sends the kept answer to the new token", async () => {
    const b = backend();
    await relay(answer(), b);
    await relay(register("AQB4first"), b);
    await relay(register("AQB4second"), b);
    expect(b.sent.map((s) => s.token)).toEqual(["AQB4first", "AQB4second"]);
  });

  it("refuses a second answer, and sends nothing for it", async () => {
    const b = backend();
    await relay(register(), b);
    await relay(answer(), b);
    await expect(relay(answer({ output: '"again"' }), b)).rejects.toMatchObject({ name: "CallbackAlreadyAnswered" });
    expect(b.sent).toHaveLength(1);
  });

  it("refuses an answer after the deadline, and never sends one that came after it", async () => {
    const late = backend(new MemoryRelayStore(), 5_000);
    await relay(register("AQB4token", 4_000), late);
    await expect(relay(answer(), late)).rejects.toMatchObject({ name: "CallbackTimedOut" });
    const early = backend(new MemoryRelayStore(), 5_000);
    await relay(answer(), early); // kept at 5 s, after the deadline of 4 s
    expect(await relay(register("AQB4token", 4_000), early)).toEqual({ relayed: "late" });
    expect([...late.sent, ...early.sent]).toEqual([]);
  });

  it("hands the service's refusal of the token to the answerer", async () => {
    const b = backend();
    b.tasks.succeed = async () => {
      throw Object.assign(new Error("Task Timed Out"), { name: "TaskTimedOut" });
    };
    await relay(register(), b);
    await expect(relay(answer(), b)).rejects.toMatchObject({ name: "TaskTimedOut" });
  });
});

describe("the relay's DynamoDB table", () => {
  /** DynamoDB's UpdateItem as far as the relay uses it: SET of values, if_not_exists, attribute_not_exists. */
  function table() {
    const items = new Map<string, Record<string, unknown>>();
    const calls: Record<string, any>[] = [];
    const send = async ({ name, input }: { name: string; input: Record<string, any> }) => {
      calls.push({ name, ...input });
      const key = input.Key.callbackId.S as string;
      const item = { ...(items.get(key) ?? { callbackId: { S: key } }) } as Record<string, unknown>;
      const names = input.ExpressionAttributeNames as Record<string, string>;
      if (input.ConditionExpression === "attribute_not_exists(#outcome)" && item[names["#outcome"]!] !== undefined) {
        throw Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });
      }
      for (const part of (input.UpdateExpression as string).replace(/^SET /, "").split(/, (?=#)/)) {
        const [, attribute, value] = /^(#\w+) = (.*)$/.exec(part)!;
        const kept = /^if_not_exists\((#\w+), (:\w+)\)$/.exec(value!);
        const field = names[attribute!]!;
        if (!kept || item[field] === undefined) item[field] = input.ExpressionAttributeValues[kept ? kept[2]! : value!];
      }
      items.set(key, item);
      return { Attributes: item };
    };
    return { items, calls, store: new DynamoRelayStore("relay-table", send, () => 10_000) };
  }

  it("keeps one item per id with both halves, expiring once, and refuses a second answer", async () => {
    const { items, calls, store } = table();
    const first: RelayItem | undefined = await store.answer("cb-1", { output: "1" }, 7);
    expect(first).toEqual({ token: undefined, deadline: undefined, outcome: { output: "1" }, answeredAt: 7 });
    const both = await store.register("cb-1", "AQB4t", 9_000);
    expect(both).toEqual({ token: "AQB4t", deadline: 9_000, outcome: { output: "1" }, answeredAt: 7 });
    expect(await store.answer("cb-1", { output: "2" }, 8)).toBeUndefined();
    expect(await store.register("cb-2", "AQB4u", null)).toMatchObject({ token: "AQB4u", deadline: null, outcome: undefined });
    expect(items.get("cb-1")!.expiresAt).toEqual({ N: String(10 + 400 * 86400) });
    expect(calls.every((c) => c.name === "UpdateItem" && c.TableName === "relay-table" && c.ReturnValues === "ALL_NEW")).toBe(true);
  });

  it("lets other DynamoDB errors through", async () => {
    const store = new DynamoRelayStore("t", async () => {
      throw Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
    }, () => 0);
    await expect(store.answer("cb", { output: "1" }, 0)).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
  });
});
