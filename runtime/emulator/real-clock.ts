import { VirtualClock } from "./clock.ts";

/** setTimeout's longest delay (about 24.8 days); longer timers are re-armed in steps of it. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The wall clock, for executions that run in real time (`serve` by default): `now` is the real
 * time, and a timer (a Wait, a retry interval, a task's TimeoutSeconds or HeartbeatSeconds, the
 * execution's own limit) fires when it is due, whatever the fibers are doing, as on Step Functions.
 * The fiber bookkeeping of VirtualClock still runs but has nothing to advance: no timer waits on it.
 */
export class RealClock extends VirtualClock {
  private readonly pending = new Set<NodeJS.Timeout>();
  private ended = false;

  constructor() {
    super(Date.now());
  }

  override get now(): number {
    return Date.now();
  }

  override setTimer(seconds: number, fire: () => void): () => void {
    const at = Date.now() + Math.round(Math.max(0, seconds) * 1000);
    let handle: NodeJS.Timeout | undefined;
    const arm = () => {
      if (this.ended) return;
      const delay = Math.min(Math.max(0, at - Date.now()), MAX_DELAY_MS);
      handle = setTimeout(() => {
        this.pending.delete(handle!);
        if (at > Date.now()) arm();
        else fire();
      }, delay);
      this.pending.add(handle);
    };
    arm();
    return () => {
      if (handle === undefined) return;
      clearTimeout(handle);
      this.pending.delete(handle);
    };
  }

  override stop(): void {
    super.stop();
    this.ended = true;
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
