import { createHash } from "node:crypto";
import jsonata from "jsonata";
import { Limits } from "./limits.ts";
import { SeededRandom, seedFromValue } from "./random.ts";

/**
 * The JSONata functions Step Functions adds (AWS docs, "Transforming data with JSONata":
 * $partition, $range, $hash, $random, $uuid, $parse), and the ones it changes: `$eval` is not
 * available, and `$now()`/`$millis()` read the emulator's virtual clock instead of the host's.
 * `$pad` keeps JSONata's own implementation behind a check of the width: it builds its padding
 * in one synchronous step, which no evaluation hook can stop (a width of 1e8 takes seconds and GBs).
 * Errors thrown here become States.QueryEvaluationError.
 */
export function stepFunctionsFunctions(random: SeededRandom, nowMs: () => number): Record<string, unknown> {
  return {
    partition,
    range,
    pad: boundedPad,
    hash,
    parse,
    random: (seed?: unknown) => (seed === undefined ? random.next() : new SeededRandom(seedFromValue(seed)).next()),
    uuid: () => random.uuid(),
    eval: () => {
      throw new Error("$eval is not supported in Step Functions; use $parse");
    },
    millis: () => nowMs(),
    now: () => new Date(nowMs()).toISOString(),
  };
}

/** `$partition(array, size)`: consecutive chunks of `size`; the last one may be shorter. */
function partition(array: unknown, size: unknown): unknown[][] {
  if (!Array.isArray(array)) throw new Error("$partition: the first argument must be an array");
  if (!Number.isInteger(size) || (size as number) < 1) throw new Error("$partition: size must be a positive integer");
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size as number) chunks.push(array.slice(i, i + (size as number)));
  return chunks;
}

/** `$range(start, end, step)`: from start to end inclusive, e.g. `$range(0, 10, 2)` is [0,2,4,6,8,10]. */
function range(start: unknown, end: unknown, step: unknown = 1): number[] {
  if (typeof start !== "number" || typeof end !== "number" || typeof step !== "number") {
    throw new Error("$range: start, end and step must be numbers");
  }
  if (step === 0) throw new Error("$range: step must not be 0");
  const items = Math.floor((end - start) / step) + 1;
  if (items > Limits.expressionArrayItems) {
    throw new Error(`$range: ${items} items is more than the ${Limits.expressionArrayItems} an expression may build`);
  }
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
  return out;
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

/** `$hash(data, algorithm)`: hex digest; the algorithm is one of MD5, SHA-1, SHA-256, SHA-384, SHA-512. */
function hash(data: unknown, algorithm: unknown): string {
  if (typeof data !== "string") throw new Error("$hash: data must be a string");
  const name = HASH_ALGORITHMS[String(algorithm)];
  if (!name) throw new Error(`$hash: unsupported algorithm ${String(algorithm)}`);
  return createHash(name).update(data, "utf8").digest("hex");
}

/** `$parse(json)`: JSON.parse, the replacement for `$eval`. */
function parse(text: unknown): unknown {
  if (typeof text !== "string") throw new Error("$parse: the argument must be a string");
  return JSON.parse(text);
}

type NativeFunction = { _jsonata_function: true; implementation: (...args: unknown[]) => unknown; signature: unknown };

/** JSONata's `$pad` as it binds it (implementation plus parsed signature), read once. */
const jsonataPad = (await jsonata("$pad").evaluate({})) as NativeFunction;

/** `$pad` with its signature, refusing a width past the string limit before building anything. */
const boundedPad: NativeFunction = {
  ...jsonataPad,
  implementation(this: unknown, str: unknown, width: unknown, char: unknown) {
    if (typeof width === "number" && Math.abs(width) > Limits.expressionStringLength) {
      throw new Error(`$pad: a width of ${width} is more than the ${Limits.expressionStringLength} characters an expression may build`);
    }
    return jsonataPad.implementation.call(this, str, width, char);
  },
};
