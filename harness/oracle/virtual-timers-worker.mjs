// Entry point of the checkpoint-server worker thread when the oracle starts it (see worker-patch.ts).
//
// Why: LocalDurableTestRunner's checkpoint server arms callback `timeout` / `heartbeatTimeout`
// as real setTimeout timers in this thread, even under skipTime (durable-sdk.md §10.7). A
// `{hours: 24}` timeout would really take 24 hours. Here every timer the server arms for a
// callback becomes a *virtual* timer: it is never armed, it waits in a queue ordered by its
// virtual deadline, and it fires only when the oracle (main thread) asks, over a private
// MessagePort, for the timeout of that callback operation. Everything else the server does
// (checkpoint delay timers, API handling) is untouched.
//
// Plain .mjs on purpose: the worker is started by Node directly, without tsx.
import { parentPort, workerData } from "node:worker_threads";

const { realPath, controlPort } = workerData.durable2sfn;

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

// The API request being handled right now (set around the server's own message handling and
// restored inside the deferred callbacks it schedules), so a timer can be traced to the
// CheckpointDurableExecutionState request, and so to the CALLBACK operation, that armed it.
let currentRequest;
let insideDeferred = false;

let virtualNow = 0;
let sequence = 0;

class VirtualTimer {
  constructor(fields) {
    Object.assign(this, fields);
  }
  // The Timeout API, so callers that ref/unref keep working.
  ref() { return this; }
  unref() { return this; }
  hasRef() { return false; }
  refresh() { return this; }
}

/** operationId -> VirtualTimer[] (timeout and/or heartbeat timeout of one CALLBACK operation). */
const timersByOperation = new Map();
/** request -> the (operationId, delayMs) pairs its CALLBACK START updates will arm, in order. */
const expectedByRequest = new WeakMap();

function expectedTimers(request) {
  let expected = expectedByRequest.get(request);
  if (expected) return expected;
  expected = [];
  for (const update of request?.params?.Updates ?? []) {
    if (update.Type !== "CALLBACK" || update.Action !== "START") continue;
    const options = update.CallbackOptions ?? {};
    // Same order as the server's CallbackManager.createCallback: timeout first, then heartbeat.
    if (options.TimeoutSeconds !== undefined) expected.push({ operationId: update.Id, delay: options.TimeoutSeconds * 1000 });
    if (options.HeartbeatTimeoutSeconds !== undefined) expected.push({ operationId: update.Id, delay: options.HeartbeatTimeoutSeconds * 1000 });
  }
  expectedByRequest.set(request, expected);
  return expected;
}

function isCallbackTimer() {
  if (!currentRequest) return false;
  // Callback timers are armed while a checkpoint is applied (inside the server's deferred
  // checkpoint callback) or when a heartbeat re-arms one. The checkpoint-delay timer itself is
  // armed synchronously during message handling and stays real.
  if (currentRequest.type === "CheckpointDurableExecutionState") return insideDeferred;
  return currentRequest.type === "SendDurableExecutionCallbackHeartbeat";
}

function operationForTimer(delay) {
  if (currentRequest.type === "SendDurableExecutionCallbackHeartbeat") {
    // A heartbeat re-arms the heartbeat timer of the callback it names.
    const id = decodeOperationId(currentRequest.params?.CallbackId);
    return id ?? "unknown";
  }
  const expected = expectedTimers(currentRequest);
  const next = expected.shift();
  if (!next || next.delay !== delay) {
    // Should not happen with testing 1.1.4; keep the timer usable rather than lose it.
    return "unknown";
  }
  return next.operationId;
}

function decodeOperationId(callbackId) {
  try {
    return JSON.parse(Buffer.from(callbackId, "base64").toString("utf8")).operationId;
  } catch {
    return undefined;
  }
}

globalThis.setTimeout = function setTimeout(fn, delay, ...args) {
  if (typeof fn === "function" && isCallbackTimer()) {
    const ms = Number(delay) || 0;
    const operationId = operationForTimer(ms);
    const timer = new VirtualTimer({ operationId, due: virtualNow + ms, seq: sequence++, fn, args });
    const list = timersByOperation.get(operationId) ?? [];
    list.push(timer);
    timersByOperation.set(operationId, list);
    return timer;
  }
  if (typeof fn !== "function") return realSetTimeout(fn, delay, ...args);
  const request = currentRequest;
  return realSetTimeout(() => {
    const saved = [currentRequest, insideDeferred];
    currentRequest = request;
    insideDeferred = true;
    try {
      fn(...args);
    } finally {
      [currentRequest, insideDeferred] = saved;
    }
  }, delay);
};

globalThis.clearTimeout = function clearTimeout(timer) {
  if (timer instanceof VirtualTimer) {
    const list = timersByOperation.get(timer.operationId);
    if (list) {
      const rest = list.filter((t) => t !== timer);
      if (rest.length) timersByOperation.set(timer.operationId, rest);
      else timersByOperation.delete(timer.operationId);
    }
    return;
  }
  realClearTimeout(timer);
};

/** Fires the earliest virtual timer of one operation; the virtual clock moves to its deadline. */
function fireTimeout(operationId) {
  const list = timersByOperation.get(operationId);
  if (!list || list.length === 0) return { fired: false };
  const timer = list.reduce((a, b) => (b.due < a.due || (b.due === a.due && b.seq < a.seq) ? b : a));
  clearTimeout(timer);
  virtualNow = Math.max(virtualNow, timer.due);
  timer.fn(...timer.args);
  return { fired: true, virtualSeconds: virtualNow / 1000 };
}

/** The pending deadline (virtual ms) of each operation's earliest timer, so the oracle can order them. */
function deadlines() {
  const out = {};
  for (const [id, list] of timersByOperation) out[id] = Math.min(...list.map((t) => t.due));
  return out;
}

controlPort.on("message", (message) => {
  let reply;
  try {
    if (message.type === "fireTimeout") reply = fireTimeout(message.operationId);
    else if (message.type === "deadlines") reply = { deadlines: deadlines() };
    else reply = { error: `unknown control message ${message.type}` };
  } catch (err) {
    reply = { error: err instanceof Error ? err.message : String(err) };
  }
  controlPort.postMessage({ id: message.id, ...reply });
});

// The server's message listener is wrapped so the request is known while it is handled. (No
// listener of ours may be attached to parentPort before the server's: the port starts delivering
// on the first listener, and the server would miss the first request.)
const originalOn = parentPort.on.bind(parentPort);
parentPort.on = function on(event, listener) {
  if (event !== "message") return originalOn(event, listener);
  return originalOn("message", (command) => {
    currentRequest = command?.data;
    insideDeferred = false;
    try {
      listener(command);
    } finally {
      currentRequest = undefined;
    }
  });
};

await import(realPath);
