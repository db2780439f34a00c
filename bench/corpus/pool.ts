import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FileOutcome } from "./check-file.ts";

export interface WorkerRequest {
  id: number;
  file: string;
  projectRoot: string;
  verify: boolean;
}

/** The final outcome, or why there is none; `compiled` comes first when a verify follows the build. */
export type WorkerReply = { id: number; outcome: FileOutcome } | { id: number; failure: string } | { id: number; compiled: FileOutcome };

/**
 * A job's end: the worker's outcome, or why there is none (timed out, the worker died, it threw),
 * with what the build gave when it got that far.
 */
export type JobResult = { outcome: FileOutcome } | { failure: string; timedOut?: boolean; compiled?: FileOutcome };

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
/** The last characters of a worker's stderr kept, to say why it died. */
const STDERR_TAIL = 2000;

interface Slot {
  child: ChildProcess;
  stderr: string;
}

/**
 * `size` worker processes, each checking one file at a time; a job that takes longer than
 * `timeoutMs` (real time, on this process's own clock) ends its worker, which is replaced.
 */
export class WorkerPool {
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly all = new Set<Slot>();
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Slot {
    const child = fork(WORKER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    const slot: Slot = { child, stderr: "" };
    child.stderr!.on("data", (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    this.all.add(slot);
    return slot;
  }

  private acquire(): Promise<Slot> {
    const slot = this.idle.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  private replace(slot: Slot): Slot {
    this.all.delete(slot);
    slot.child.kill("SIGKILL");
    return this.spawn();
  }

  async run(request: Omit<WorkerRequest, "id">): Promise<JobResult> {
    const slot = await this.acquire();
    const id = this.nextId++;
    slot.stderr = "";
    let compiled: FileOutcome | undefined;
    const result = await new Promise<JobResult & { broken?: boolean }>((resolve) => {
      const done = (r: JobResult & { broken?: boolean }) => {
        if ("failure" in r && compiled) r.compiled = compiled;
        clearTimeout(timer);
        slot.child.off("message", onMessage);
        slot.child.off("exit", onExit);
        resolve(r);
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        if ("compiled" in reply) {
          compiled = reply.compiled;
          return;
        }
        done("outcome" in reply ? { outcome: reply.outcome } : { failure: reply.failure });
      };
      const onExit = (code: number | null, signal: string | null) => {
        const tail = slot.stderr.trim().split("\n").slice(-3).join(" | ");
        done({ failure: `the worker died (${signal ?? `exit ${code}`})${tail ? `: ${tail}` : ""}`, broken: true });
      };
      const timer = setTimeout(() => done({ failure: `timed out after ${this.timeoutMs / 1000} s`, timedOut: true, broken: true }), this.timeoutMs);
      slot.child.on("message", onMessage);
      slot.child.on("exit", onExit);
      slot.child.send({ ...request, id } satisfies WorkerRequest);
    });
    const { broken, ...job } = result;
    this.release(broken ? this.replace(slot) : slot);
    return job;
  }

  /** Lets every worker close its SDK environment and exit. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.all].map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            const kill = setTimeout(() => slot.child.kill("SIGKILL"), 10_000);
            slot.child.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            slot.child.disconnect();
          }),
      ),
    );
  }
}
