import { AsyncLocalStorage } from "node:async_hooks";
import nodeCrypto from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { DEFAULT_START_TIME, SeededRandom } from "../runtime/emulator/index.ts";

/**
 * The clock and random sources a handler's own code sees during `verify` and `run`, the same on
 * both sides: `Date.now()`, `new Date()`, `Date()`, `Math.random()`, `crypto.randomUUID()` (the
 * global one and node:crypto's). Time is virtual: it starts at the emulator's start time and moves
 * only through waits, retry delays and timeouts, as the emulator's clock does (a step after a 30 s
 * wait sees 30 s pass, however long the run really takes). Random values come from one seeded
 * source per run, drawn in the order the code asks for them.
 *
 * Only code that runs inside `inWorld` (a fragments invocation, an SDK handler invocation) sees
 * them; the emulator, the SDK's test runner and its fake timers keep their own. Calls made from the
 * SDK's packages themselves (their timers, their request ids) keep the real ones too, except
 * Math.random, which the SDK's retry jitter draws on both sides alike.
 */
export interface World {
  /** Virtual time, ms since the epoch. */
  now(): number;
  random: SeededRandom;
}

/** The seed of the handler's random source: any constant; both sides must use the same. */
export const HANDLER_SEED = 0x14d2;
export const WORLD_START = DEFAULT_START_TIME;

const current = new AsyncLocalStorage<World>();

export function inWorld<T>(world: World, fn: () => T): T {
  return current.run(world, fn);
}

export function newWorld(now: () => number): World {
  return { now, random: new SeededRandom(HANDLER_SEED) };
}

const SDK_FRAME = /durable-execution-sdk-js(-testing)?[\\/]dist[\\/]/;

/** The world of the calling code, unless the caller (the frame below the patched function) is the SDK's. */
function worldOfCaller(skipSdk: boolean): World | undefined {
  const world = current.getStore();
  if (!world || !skipSdk) return world;
  const caller = (new Error().stack ?? "").split("\n")[3] ?? "";
  return SDK_FRAME.test(caller) ? undefined : world;
}

let installed = 0;
let uninstall: (() => void) | undefined;

/** Patches the globals (counted: the last `release` restores them); returns `release`. */
export function installWorld(): () => void {
  if (installed++ === 0) uninstall = patchGlobals();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--installed === 0) {
      uninstall?.();
      uninstall = undefined;
    }
  };
}

function patchGlobals(): () => void {
  const BaseDate = globalThis.Date;
  const baseRandom = Math.random;
  const webCrypto = globalThis.crypto as Crypto & { randomUUID: () => string };
  const baseWebUUID = webCrypto.randomUUID;
  const baseNodeUUID = nodeCrypto.randomUUID;
  const now = function now(): number {
    return worldOfCaller(true)?.now() ?? BaseDate.now();
  };
  // A Proxy, not a subclass: `instanceof Date`, Date.UTC, Date.parse and dates made before stay as they are.
  globalThis.Date = new Proxy(BaseDate, {
    construct(target, args, newTarget) {
      const world = args.length === 0 ? worldOfCaller(true) : undefined;
      return Reflect.construct(target, world ? [world.now()] : args, newTarget);
    },
    apply(target, thisArg, args) {
      const world = worldOfCaller(true);
      return world ? new target(world.now()).toString() : Reflect.apply(target, thisArg, args);
    },
    get(target, key) {
      return key === "now" ? now : Reflect.get(target, key, target);
    },
  });
  Math.random = () => current.getStore()?.random.next() ?? baseRandom();
  webCrypto.randomUUID = () => (current.getStore()?.random.uuid() ?? baseWebUUID.call(webCrypto)) as ReturnType<Crypto["randomUUID"]>;
  (nodeCrypto as { randomUUID: typeof nodeCrypto.randomUUID }).randomUUID = ((options?: nodeCrypto.RandomUUIDOptions) =>
    worldOfCaller(true)?.random.uuid() ?? baseNodeUUID(options)) as typeof nodeCrypto.randomUUID;
  syncBuiltinESMExports();
  return () => {
    globalThis.Date = BaseDate;
    Math.random = baseRandom;
    webCrypto.randomUUID = baseWebUUID;
    (nodeCrypto as { randomUUID: typeof nodeCrypto.randomUUID }).randomUUID = baseNodeUUID;
    syncBuiltinESMExports();
  };
}
