/**
 * The callback relay's events (runtime/fragments/relay.ts), sent to the fragments function: a
 * createCallback whose id is handed on before its promise is awaited later gets an id of ours,
 * made by its marker state; the Task at the await registers its task token for that id, and an
 * answer to the id (from `durable2sfn callback`, or any Lambda Invoke) is relayed to that token,
 * or kept until the token comes (docs/internals.md, "The callback relay").
 */

/** The Task at the await: its token, and the time (ms since the epoch) after which an answer comes too late. */
export interface RelayRegister {
  relay: "register";
  callbackId: string;
  token: string;
  /** When createCallback ran (ms since the epoch), made by its marker state. */
  created: number;
  /** createCallback's time plus its timeout; null when it has none. */
  deadline: number | null;
}

/** An answer to the callback: the JSON text SendTaskSuccess takes, or the error and cause of SendTaskFailure. */
export type RelayOutcome = { output: string } | { error: string; cause: string };

export interface RelayAnswer {
  relay: "answer";
  callbackId: string;
  outcome: RelayOutcome;
}

export type RelayEvent = RelayRegister | RelayAnswer;

/** The field names of a RelayRegister, for the machine's Task Payload. */
export const RelayField = { relay: "relay", callbackId: "callbackId", token: "token", created: "created", deadline: "deadline" } as const satisfies { [K in keyof RelayRegister]-?: K };

/** The fragments function's environment variable naming the relay's DynamoDB table (template.yaml sets it). */
export const RELAY_TABLE_VARIABLE = "D2S_RELAY_TABLE";

/** Is this event for the relay (and not a fragment)? */
export function isRelayEvent(event: unknown): event is RelayEvent {
  const e = event as { relay?: unknown } | null;
  return typeof e === "object" && e !== null && (e.relay === "register" || e.relay === "answer");
}
