import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { packageFile } from "../../protocol/package-file.ts";

/** The payload of a function error, as Lambda sends it with `X-Amz-Function-Error: Unhandled`. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeOutcome = { value: unknown } | { error: FunctionErrorPayload };

export interface EnvironmentSpec {
  functionName: string;
  codeDir: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The whole environment of the function's processes: nothing of the server's own is passed on. */
  env: Record<string, string>;
  /** What the process may read besides its code (the runtime's node_modules), and its one writable folder (`/tmp` on Lambda). */
  readable: string[];
  writable: string;
  /** Gets each line the function writes to stdout or stderr. */
  log: (line: string) => void;
}

const RUNNER = packageFile("runtime/server/function-runner.mjs");

/** `--permission` since Node 22.13 / 23.5; `--experimental-permission` before. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";

/** Execution environments one function version may have at once; further invokes wait for one to be free. */
export const MAX_ENVIRONMENTS = 8;

/**
 * The execution environments of one version of a function: each a child process running
 * function-runner.mjs, so that the code can neither read the server's memory nor end it. An
 * environment serves one invoke at a time and is reused; one whose invoke timed out or whose
 * process exited is discarded, and the next invoke starts a fresh one (a cold start, as on Lambda).
 */
export class WorkerPool {
  private readonly idle: ChildProcess[] = [];
  private readonly busy = new Set<ChildProcess>();
  private readonly waiting: Array<(child: ChildProcess) => void> = [];
  private closed = false;

  constructor(private readonly spec: EnvironmentSpec) {}

  async invoke(payload: unknown, context: Record<string, unknown> & { awsRequestId: string }): Promise<InvokeOutcome> {
    const child = await this.acquire();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const requestId = context.awsRequestId;
    return new Promise<InvokeOutcome>((resolve) => {
      const id = randomUUID();
      const finish = (outcome: InvokeOutcome, reusable: boolean) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (reusable) this.release(child);
        else this.discard(child);
        resolve(outcome);
      };
      const onMessage = (message: { id: string; value?: unknown; error?: FunctionErrorPayload }) => {
        if (message.id === id) finish(message.error ? { error: message.error } : { value: message.value }, true);
      };
      const onExit = (code: number | null, signal: string | null) => {
        const how = signal ? `signal: ${signal}` : `error: exit status ${code}`;
        finish({ error: { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with ${how}` } }, false);
      };
      const timer = setTimeout(() => {
        const seconds = this.spec.timeoutSeconds.toFixed(2);
        finish({ error: { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds` } }, false);
      }, timeoutMs);
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ id, payload, context, timeoutMs }, (err) => {
        if (err) onExit(null, null);
      });
    });
  }

  /** Ends every environment; invokes under way end as a runtime exit. */
  close(): void {
    this.closed = true;
    for (const child of [...this.idle, ...this.busy]) child.kill("SIGKILL");
    this.idle.length = 0;
  }

  private acquire(): Promise<ChildProcess> {
    if (this.closed) throw new Error(`${this.spec.functionName}: this version's environments are closed`);
    const ready = this.idle.pop() ?? (this.busy.size < MAX_ENVIRONMENTS ? this.start() : undefined);
    if (ready) return Promise.resolve(this.hold(ready));
    return new Promise((resolve) => this.waiting.push((child) => resolve(this.hold(child))));
  }

  private hold(child: ChildProcess): ChildProcess {
    this.busy.add(child);
    keepAlive(child, true);
    return child;
  }

  private release(child: ChildProcess): void {
    this.busy.delete(child);
    if (this.closed) return void child.kill("SIGKILL");
    const next = this.waiting.shift();
    if (next) return next(child);
    keepAlive(child, false);
    this.idle.push(child);
  }

  private discard(child: ChildProcess): void {
    this.busy.delete(child);
    child.kill("SIGKILL");
    const next = this.waiting.shift();
    if (next && !this.closed) next(this.start());
  }

  private start(): ChildProcess {
    const { codeDir, handler, env, memoryMb, readable, writable } = this.spec;
    const child = fork(RUNNER, [codeDir, handler], {
      cwd: codeDir,
      env,
      // Not the server's execArgv (a TypeScript loader, inspector flags). Node's permission model
      // keeps the code to its own folder: no reading the server's files (or ~/.aws), no child
      // processes, workers or addons; function-runner.mjs adds that it may signal only itself.
      execArgv: [
        `--max-old-space-size=${memoryMb}`,
        PERMISSION_FLAG,
        ...[RUNNER, codeDir, ...readable, writable].map((p) => `--allow-fs-read=${p}`),
        `--allow-fs-write=${writable}`,
        "--no-warnings", // the permission model's ExperimentalWarning on Node 20 and 21
      ],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    for (const stream of [child.stdout, child.stderr]) if (stream) forwardLines(stream, (line) => this.spec.log(`[${this.spec.functionName}] ${line}`));
    // An environment that dies while idle is simply dropped.
    child.once("exit", () => {
      const at = this.idle.indexOf(child);
      if (at >= 0) this.idle.splice(at, 1);
    });
    child.on("error", () => {}); // a failed send or kill shows as the exit above
    return child;
  }
}

/** Only an environment serving an invoke keeps the server's process alive; an idle one does not. */
function keepAlive(child: ChildProcess, on: boolean): void {
  for (const handle of [child, child.channel, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void } | null | undefined>) {
    if (on) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** Longest line of a function's output passed to the log; the rest of a longer one is dropped. */
const MAX_LOG_LINE = 64 * 1024;

/** Each line the function writes, to `log`, holding at most one bounded line in memory (readline would hold any length). */
function forwardLines(stream: Readable, log: (line: string) => void): void {
  let pending = "";
  let dropping = false;
  const emit = (line: string) => log(line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)} [line cut]` : line);
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
      if (!dropping) emit(pending.slice(0, end));
      dropping = false;
      pending = pending.slice(end + 1);
    }
    if (pending.length > MAX_LOG_LINE) {
      if (!dropping) emit(pending);
      dropping = true;
      pending = "";
    }
  });
  stream.on("end", () => pending && !dropping && emit(pending));
}
