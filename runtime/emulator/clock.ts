import { AbortedError } from "./errors.ts";
import type { Cancellation } from "./cancellation.ts";

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * The virtual clock and fiber bookkeeping.
 *
 * A fiber is one line of execution: the execution itself, a Parallel branch or a Map iteration.
 * A fiber counts as *active* while it runs or awaits a handler promise. It stops counting while
 * it is suspended on a timer (Wait, retry interval, timeout) or on a task token. Time advances
 * only when no fiber is active, and only after the microtask queue has drained (checked from
 * setImmediate), so that a token answered synchronously or from a later microtask is seen first.
 * Waits therefore cost no real time, and a handler that is still working is never timed out.
 */
export class VirtualClock {
  private nowMs: number;
  private active = 0;
  private timers: Timer[] = [];
  private seq = 0;
  private idleCheckPending = false;
  private stopped = false;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  get now(): number {
    return this.nowMs;
  }

  /** Registers a fiber that starts running now (the execution's first fiber). */
  enterFiber(): void {
    this.active++;
  }

  exitFiber(): void {
    this.active--;
    this.scheduleIdleCheck();
  }

  /** Runs `fibers` concurrently while the caller waits for all of them to settle. */
  async join<T>(fibers: Array<() => Promise<T>>): Promise<PromiseSettledResult<T>[]> {
    this.active += fibers.length - 1; // the caller is suspended while its children run
    const settled = await Promise.allSettled(
      fibers.map(async (fiber) => {
        try {
          return await fiber();
        } finally {
          this.exitFiber();
        }
      }),
    );
    this.active++;
    return settled;
  }

  /**
   * Suspends the calling fiber until `setup` calls `resume` or `fail`. While suspended the fiber is
   * not active. Aborting `cancellation` fails the wait with AbortedError and runs `cleanup`.
   */
  suspend<T>(
    cancellation: Cancellation,
    setup: (resume: (value: T) => void, fail: (error: unknown) => void) => (() => void) | void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let cleanup: (() => void) | void = undefined;
      let unregister = () => {};
      const finish = () => {
        settled = true;
        this.active++;
        unregister();
        if (cleanup) cleanup();
      };
      const resume = (value: T) => {
        if (settled) return;
        finish();
        resolve(value);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        finish();
        reject(error);
      };
      this.active--;
      cleanup = setup(resume, fail);
      if (settled) {
        // Answered during setup (e.g. a token answered inside onTaskToken): clean up now.
        if (cleanup) cleanup();
        return;
      }
      unregister = cancellation.onAbort(() => fail(new AbortedError()));
      this.scheduleIdleCheck();
    });
  }

  /** Suspends the calling fiber for `seconds` of virtual time. */
  sleep(seconds: number, cancellation: Cancellation): Promise<void> {
    return this.suspend<void>(cancellation, (resume) => this.setTimer(seconds, () => resume()));
  }

  /** Calls `fire` after `seconds` of virtual time; returns a function that cancels the timer. */
  setTimer(seconds: number, fire: () => void): () => void {
    // Whole milliseconds, so that virtual time (and jittered delays) print cleanly.
    const timer: Timer = { at: this.nowMs + Math.round(Math.max(0, seconds) * 1000), seq: this.seq++, fire };
    this.insert(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Ends all bookkeeping: pending timers never fire. */
  stop(): void {
    this.stopped = true;
    this.timers = [];
  }

  /** Keeps timers sorted by time, then by creation order, so that runs are deterministic. */
  private insert(timer: Timer): void {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.timers[mid]!;
      if (t.at < timer.at || (t.at === timer.at && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
  }

  private scheduleIdleCheck(): void {
    if (this.active > 0 || this.idleCheckPending || this.stopped) return;
    this.idleCheckPending = true;
    setImmediate(() => {
      this.idleCheckPending = false;
      this.advanceIfIdle();
    });
  }

  /** Every fiber is blocked: jump to the earliest timer and fire all timers due at that instant. */
  private advanceIfIdle(): void {
    if (this.active > 0 || this.stopped || this.timers.length === 0) return;
    const at = this.timers[0]!.at;
    this.nowMs = Math.max(this.nowMs, at);
    while (this.timers.length > 0 && this.timers[0]!.at === at) this.timers.shift()!.fire();
    this.scheduleIdleCheck();
  }
}
