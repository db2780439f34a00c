import { BATCH_MARKER, PROMISE_MARKER_KEY, UNDEFINED_MARKER_KEY, VALUE_MARKER_KEY, type ErrorRecord } from "../../protocol/index.ts";
import { BatchResult, decodeBatch, type RawBatch } from "./batch.ts";
import { readGroup, ShadowWalk, writeGroup, type KnownClasses } from "./carry.ts";
import { toError, type SdkErrorClasses } from "./errors.ts";

/**
 * How locals travel between fragments through ASL Variables.
 *
 * Under the SDK, the code between durable operations keeps its live objects, so every value
 * behaves as plain JavaScript. A local whose value is plain JSON (and shares no object with
 * another local) stays as it is, readable in the history and by the machine's JSONata. Every
 * other local becomes `{"__d2s_value": {"at": i, "of": "<devalue text>"}}`: the text holds the
 * group of locals written together that share objects with it, `at` its place in the group, so
 * that decoding one group once gives one object back where there was one (carry.ts).
 * Also read here: markers the machine writes (protocol/markers.ts): `undefined`, a Map or
 * Parallel state's outcomes (a BatchResult, batch.ts), promise.all / allSettled outcomes.
 */

const BUILTIN_ERRORS = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError];

/** What can be carried by class: the module's classes, the SDK's error classes, the built-in errors, BatchResult. */
export function knownClasses(moduleClasses: Record<string, Function>, sdk: object): KnownClasses {
  const known: KnownClasses = new Map();
  for (const [name, Class] of Object.entries(moduleClasses)) if (typeof Class === "function" && Class.prototype) known.set(`module:${name}`, Class);
  for (const [name, Class] of Object.entries(sdk)) if (typeof Class === "function" && Class.prototype instanceof Error) known.set(`sdk:${name}`, Class);
  for (const Class of BUILTIN_ERRORS) known.set(`builtin:${Class.name}`, Class);
  known.set("d2s:BatchResult", BatchResult);
  return known;
}

interface ValueMarker {
  at: number;
  of: string;
}

/**
 * The locals a fragment writes, encoded together so that objects they share stay shared. A local
 * of `plain` (one the machine's JSONata reads) whose value is plain JSON by itself stays so even
 * when it shares objects with another: JSONata must read it.
 */
export function encodeVars(vars: Record<string, unknown>, classes: KnownClasses, plain: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(vars)) {
    if (plain.has(name) && vars[name] !== undefined && !new ShadowWalk(classes).isSpecial(name, vars[name])) out[name] = vars[name];
  }
  const names = Object.keys(vars).filter((name) => !(name in out));
  const walk = new ShadowWalk(classes);
  const shadows = names.map((name, i) => walk.local(i, name, vars[name]));
  const groups = new Map<number, number[]>();
  names.forEach((_, i) => groups.set(walk.root(i), [...(groups.get(walk.root(i)) ?? []), i]));
  for (const members of groups.values()) {
    const [only] = members;
    if (members.length === 1 && vars[names[only!]!] === undefined) out[names[only!]!] = { [UNDEFINED_MARKER_KEY]: true };
    else if (members.length === 1 && !walk.special[only!]) out[names[only!]!] = vars[names[only!]!];
    else {
      const of = writeGroup(members.map((i) => shadows[i]));
      members.forEach((i, at) => (out[names[i]!] = { [VALUE_MARKER_KEY]: { at, of } satisfies ValueMarker }));
    }
  }
  return out;
}

/** One value on its own (a thrown value, a waitForCondition state): as one local. */
export function encodeValue(value: unknown, classes: KnownClasses): unknown {
  return encodeVars({ value }, classes).value;
}

/** Decodes the markers of one set of locals; `groups` caches each group's text, so shared objects come back shared. */
export class Decoder {
  private readonly groups = new Map<string, unknown[]>();
  constructor(
    private readonly sdk: SdkErrorClasses,
    private readonly classes: KnownClasses,
  ) {}

  value(value: unknown): unknown {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    const marker = keys.length === 1 ? keys[0] : undefined;
    const body = (value as Record<string, unknown>)[marker ?? ""];
    if (marker === UNDEFINED_MARKER_KEY) return undefined;
    if (marker === VALUE_MARKER_KEY) {
      const { at, of } = body as ValueMarker;
      let group = this.groups.get(of);
      if (!group) this.groups.set(of, (group = readGroup(of, this.classes)));
      return group[at];
    }
    if (marker === BATCH_MARKER) return decodeBatch(body as RawBatch, this.sdk);
    if (marker === PROMISE_MARKER_KEY) return this.combinator(body as Settled);
    return value;
  }

  /** `all`: the results (a failure never gets here: the machine has thrown it); `allSettled`: the JS settled records. */
  private combinator(settled: Settled): unknown {
    // race / any of one operation (the only ones compiled): its value; a failure has been thrown.
    const throughJson = (value: unknown) => (settled.json && value !== undefined ? JSON.parse(JSON.stringify(value)) : value);
    if (settled.combinator === "race" || settled.combinator === "any") return throughJson(this.value(settled.outcomes[0].result));
    if (settled.combinator === "all") return throughJson(settled.outcomes.map((o) => this.value(o.result)));
    return settled.outcomes.map((o) => {
      const value = this.value(o.result);
      if (o.status === "SUCCEEDED") return { status: "fulfilled", value };
      const reason = toError(o.error!, this.sdk);
      return { status: "rejected", reason: settled.restored ? restoredReason(reason) : reason };
    });
  }
}

/**
 * A reason as context.promise.allSettled hands it back: the SDK keeps the records through its
 * step's serdes, which writes an error as `{message, name, stack}` and reads it back as a plain
 * Error of that name when it has a message (else as that object).
 */
function restoredReason(reason: Error): unknown {
  const written = { message: reason.message, name: reason.name, ...(reason.stack !== undefined && { stack: reason.stack }) };
  if (!written.message) return written;
  const error = new Error(written.message);
  error.name = written.name || "Error";
  if (written.stack) error.stack = written.stack;
  return error;
}

/** What promise.all / allSettled leave (concurrency.ts, emitCombinator): one outcome per operation, in order. */
interface Settled {
  combinator: "all" | "allSettled" | "race" | "any";
  /** context.promise.allSettled: its reasons come back as the SDK's serdes rebuilds them. */
  restored?: boolean;
  /**
   * context.promise.all / race / any: the SDK runs the native combinator in a child context, whose
   * result comes back through JSON (an `undefined` element of `all` is `null` then).
   */
  json?: boolean;
  outcomes: { status: "SUCCEEDED" | "FAILED"; result?: unknown; error?: ErrorRecord }[];
}

export function decodeVars(vars: Record<string, unknown> | undefined, sdk: SdkErrorClasses, classes: KnownClasses): Record<string, unknown> {
  const decoder = new Decoder(sdk, classes);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars ?? {})) out[name] = decoder.value(value);
  return out;
}

/**
 * A step's result (or a waitForCondition state) as the SDK hands it on: through its JSON serdes,
 * on the first run as on replay. JSON.stringify gives nothing for `undefined` (or a function): the
 * step then returns `undefined`.
 */
export function jsonResult(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? { [UNDEFINED_MARKER_KEY]: true } : JSON.parse(text);
}
