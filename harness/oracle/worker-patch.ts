import { syncBuiltinESMExports } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import workerThreads, { MessageChannel, type MessagePort, type WorkerOptions } from "node:worker_threads";
import { packageFile } from "../../protocol/package-file.ts";

/**
 * Starts the testing package's checkpoint-server worker through virtual-timers-worker.mjs, which
 * turns callback timeout timers into virtual ones the oracle fires on demand (docs/verify.md).
 *
 * How: the testing package does `new Worker(<...>/checkpoint-server/index.mjs, {workerData})` with
 * `Worker` imported from node:worker_threads. We replace that export with a subclass (builtin ESM
 * exports are live bindings refreshed by syncBuiltinESMExports) which swaps the entry file and
 * hands the preamble the real path and one end of a private control channel.
 */

const PREAMBLE = packageFile("harness/oracle/virtual-timers-worker.mjs");
const SERVER_ENTRY = /durable-execution-sdk-js-testing[\\/]dist[\\/]checkpoint-server[\\/]index\.mjs$/;

export interface TimerControl {
  /** Fires the earliest timeout/heartbeat timer of a CALLBACK operation; false when it has none. */
  fireTimeout(operationId: string): Promise<boolean>;
  /** Virtual deadline (ms) of the earliest pending timer of each CALLBACK operation that has one. */
  deadlines(): Promise<Record<string, number>>;
  /** Ends the worker for good (the testing package only unrefs it on teardown). */
  terminate(): Promise<void>;
}

let installed = false;
let requestObserver: ((request: { type: string; params?: unknown }) => void) | undefined;

let responseObserver: ((response: unknown) => void) | undefined;

/**
 * Sees every API request the runner sends the checkpoint server, and every answer before the
 * runner does (harness/oracle/timeline.ts reads the checkpoints and the operations' states).
 */
export function observeWorker(observers: { request?: typeof requestObserver; response?: typeof responseObserver }): void {
  requestObserver = observers.request;
  responseObserver = observers.response;
}
let latest: { worker: workerThreads.Worker; port: MessagePort } | undefined;

export function installWorkerPatch(): void {
  if (installed) return;
  installed = true;
  const RealWorker = workerThreads.Worker;
  class InterceptingWorker extends RealWorker {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      const path = filename instanceof URL ? fileURLToPath(filename) : filename;
      if (!SERVER_ENTRY.test(path)) {
        super(filename, options);
        return;
      }
      const { port1, port2 } = new MessageChannel();
      super(PREAMBLE, {
        ...options,
        workerData: { ...(options.workerData as object), durable2sfn: { realPath: pathToFileURL(path).href, controlPort: port2 } },
        transferList: [...(options.transferList ?? []), port2],
      });
      port1.unref();
      latest = { worker: this, port: port1 };
    }

    // The server's answers reach the runner through its "message" listener; the observer sees each first.
    override on(event: string | symbol, listener: (...args: any[]) => void): this {
      if (event !== "message") return super.on(event, listener);
      return super.on(event, (response: { data?: unknown }) => {
        responseObserver?.(response?.data);
        listener(response);
      });
    }

    override postMessage(message: unknown, transfer?: readonly workerThreads.TransferListItem[]): void {
      const data = (message as { data?: { type?: string; params?: unknown } } | null)?.data;
      if (data?.type) requestObserver?.(data as { type: string; params?: unknown });
      super.postMessage(message, transfer);
    }
  }
  (workerThreads as { Worker: typeof RealWorker }).Worker = InterceptingWorker;
  syncBuiltinESMExports();
}

/** Control of the checkpoint-server worker most recently started (the current test environment). */
export function currentTimerControl(): TimerControl {
  const current = latest;
  if (!current) throw new Error("oracle: the checkpoint-server worker was not started through the timer patch");
  let nextId = 0;
  const request = (message: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (reply: Record<string, unknown>) => {
        if (reply.id !== id) return;
        current.port.off("message", onMessage);
        current.port.unref();
        if (typeof reply.error === "string") reject(new Error(`oracle timer control: ${reply.error}`));
        else resolve(reply);
      };
      current.port.on("message", onMessage);
      current.port.ref();
      current.port.postMessage({ ...message, id });
    });
  return {
    async fireTimeout(operationId) {
      const reply = await request({ type: "fireTimeout", operationId });
      return reply.fired === true;
    },
    async deadlines() {
      const reply = await request({ type: "deadlines" });
      return reply.deadlines as Record<string, number>;
    },
    async terminate() {
      current.port.close();
      await current.worker.terminate();
      if (latest === current) latest = undefined;
    },
  };
}
