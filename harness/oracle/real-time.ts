/**
 * Real timers, captured when this module loads: setupTestEnvironment({skipTime: true}) installs
 * @sinonjs/fake-timers process-wide, and the oracle's own pacing must not run on the fake clock.
 * The oracle imports this module before it sets up any test environment.
 */
export const realSetTimeout: typeof setTimeout = globalThis.setTimeout;
export const realClearTimeout: typeof clearTimeout = globalThis.clearTimeout;
/** The SDK's clock fakes these too (see environment.ts, retireFakeTicks). */
export const realNextTick: typeof process.nextTick = process.nextTick;
export const realQueueMicrotask: typeof queueMicrotask = globalThis.queueMicrotask;
const realPerformanceNow = performance.now.bind(performance);

/** Milliseconds on a real monotonic clock. */
export function realNow(): number {
  return realPerformanceNow();
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
