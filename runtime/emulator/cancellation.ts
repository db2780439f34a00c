import { AbortedError } from "./errors.ts";

/**
 * Stops a group of fibers: an execution, a Parallel branch or a Map iteration. When a branch
 * fails, Step Functions stops the other branches of the same state (AWS docs, Parallel state:
 * "the entire Parallel state is considered to have failed and all its branches are stopped").
 * Aborting wakes every timer and token wait registered here with an AbortedError.
 */
export class Cancellation {
  private abortedFlag = false;
  private readonly listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.abortedFlag;
  }

  /** A child that is aborted together with this one (and can be aborted alone). */
  child(): Cancellation {
    const child = new Cancellation();
    const unlink = this.onAbort(() => child.abort());
    child.onAbort(unlink);
    return child;
  }

  /** Runs `listener` once on abort (at once if already aborted); returns a function that unregisters it. */
  onAbort(listener: () => void): () => void {
    if (this.abortedFlag) {
      listener();
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  abort(): void {
    if (this.abortedFlag) return;
    this.abortedFlag = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }

  throwIfAborted(): void {
    if (this.abortedFlag) throw new AbortedError();
  }
}
