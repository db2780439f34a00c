import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { realNextTick, realQueueMicrotask } from "./real-time.ts";
import { currentTimerControl, installWorkerPatch, type TimerControl } from "./worker-patch.ts";

/**
 * The SDK test environment (fake clock + checkpoint-server worker) is process-wide, so oracle runs
 * are serialised here, and the environment is either set up per run or kept open for reuse.
 */

let queue: Promise<unknown> = Promise.resolve();

/** Runs `task` after every earlier oracle run has finished. */
export function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

let open: TimerControl | undefined;

/** Sets up the test environment (skipTime) unless one is already open; returns its timer control. */
export async function openEnvironment(): Promise<TimerControl> {
  if (open) return open;
  installWorkerPatch();
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  tightenFakeClock();
  open = currentTimerControl();
  return open;
}

/**
 * Tears the environment down: uninstalls the fake clock, and terminates the worker (the testing
 * package only unrefs it, which would leak a thread per run, with its pending timers).
 */
export async function closeEnvironment(): Promise<void> {
  const control = open;
  if (!control) return;
  open = undefined;
  releaseFakeClock();
  await LocalDurableTestRunner.teardownTestEnvironment();
  await control.terminate();
}

/** How often (real ms) the fake clock moves on by the same amount; see tightenFakeClock. */
const TICK_MS = 2;

/**
 * skipTime installs @sinonjs/fake-timers with shouldAdvanceTime, advancing the fake clock by 20 ms
 * every 20 real ms. The runner hops between invocations through (faked) setImmediate, so each hop
 * waited up to 20 ms. Ticking every 2 ms (measured: 1 ms is no faster) keeps the same semantics (fake time follows real
 * time; long timers are still skipped by the runner's own clock.tick) with ~2 ms hops.
 */
function tightenFakeClock(): void {
  const clock = (LocalDurableTestRunner as unknown as { fakeClock?: FakeClockTickMode }).fakeClock;
  clock?.setTickMode?.({ mode: "interval", delta: TICK_MS });
}

interface FakeClockTickMode {
  setTickMode?(config: { mode: "interval"; delta: number }): void;
}

interface PendingFakeTimer {
  func: (...args: unknown[]) => void;
  args?: unknown[];
  callAt: number;
  interval?: number;
}

interface FakeClockRelease {
  now: number;
  uninstall(): PendingFakeTimer[];
  /** Runs the nextTick / queueMicrotask callbacks queued on the fake clock. */
  runMicrotasks?(): void;
  nextTick?: typeof process.nextTick;
  queueMicrotask?: (callback: () => void) => void;
}

/**
 * Uninstalls the SDK's fake clock ourselves, because teardownTestEnvironment drops the timers still
 * pending on it. While the clock was installed, the host (e.g. vitest's runner between hooks) may
 * have scheduled timers on it; dropped, they never fire and the host can hang (seen: a vitest fork
 * that never exits). They are re-armed on real timers, unref'd so SDK leftovers keep nothing alive.
 */
function releaseFakeClock(): void {
  const holder = LocalDurableTestRunner as unknown as { fakeClock?: FakeClockRelease };
  const clock = holder.fakeClock;
  if (!clock) return;
  holder.fakeClock = undefined;
  const now = clock.now;
  for (const timer of clock.uninstall()) {
    const delay = Math.max(0, timer.callAt - now);
    const args = timer.args ?? [];
    const handle = timer.interval ? setInterval(timer.func, timer.interval, ...args) : setTimeout(timer.func, delay, ...args);
    handle.unref();
  }
  retireFakeTicks(clock);
}

/**
 * The SDK's clock also fakes `process.nextTick` and `queueMicrotask` (fake-timers 15 fakes every
 * method by default). Uninstalling restores them, but a fake can survive: vitest's RPC wrapper
 * (withSafeTimers) saves `process.nextTick`, swaps in its own, and puts the saved one back on the
 * next tick, so an RPC made while the clock was installed (a console line, a task update) can put
 * the fake back *after* uninstall. Every later nextTick callback then waits on a clock that never
 * ticks again, and the vitest fork never exits (seen with keepEnvironment across tests, where the
 * fork hung after the last afterAll with only its IPC pipes left). The faked functions look the
 * method up on the clock at each call (`clock[method](...args)`), so pointing the retired clock's
 * methods at the real ones makes any surviving copy harmless; callbacks already queued on it are
 * run on the next real tick.
 */
function retireFakeTicks(clock: FakeClockRelease): void {
  clock.nextTick = realNextTick;
  clock.queueMicrotask = realQueueMicrotask;
  if (process.nextTick !== realNextTick) process.nextTick = realNextTick;
  if (globalThis.queueMicrotask !== realQueueMicrotask) globalThis.queueMicrotask = realQueueMicrotask;
  realNextTick(() => clock.runMicrotasks?.());
}
