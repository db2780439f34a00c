// One execution environment of a function deployed to `serve`, in its own process (forked by
// function-workers.ts): it imports the handler module from the function's folder and answers
// `{id, payload, context, timeoutMs}` messages with `{id, value}` or `{id, error}`, one at a time, as a Lambda
// runtime does. Plain JavaScript, so that it runs on bare Node with no loader of the server's.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [codeDir, handlerSpec] = process.argv.slice(2);
/** Lambda's limit on a synchronous response payload. */
const RESPONSE_BYTES = 6 * 1024 * 1024;

// process.kill goes through process._kill: a signal to any process but this one (the server, its
// process group) fails with EPERM (-1), before the handler's code can hold on to the original.
const kill = process._kill.bind(process);
process._kill = (pid, signal) => (pid === process.pid ? kill(pid, signal) : -1);

/** `dir/index.handler` → the `handler` export of dir/index.mjs (or .js, .cjs), as the Node.js runtime resolves it. */
async function loadHandler() {
  const cut = handlerSpec.lastIndexOf(".");
  const [moduleName, exportName] = [handlerSpec.slice(0, cut), handlerSpec.slice(cut + 1)];
  const file = [".mjs", ".js", ".cjs"].map((ext) => path.join(codeDir, moduleName + ext)).find(existsSync);
  if (!file) throw namedError("Runtime.ImportModuleError", `Error: Cannot find module '${moduleName}'`);
  const mod = await import(pathToFileURL(file).href);
  const entry = mod[exportName];
  if (typeof entry !== "function") throw namedError("Runtime.HandlerNotFound", `${handlerSpec} is undefined or not exported`);
  return entry;
}

function namedError(name, message) {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** What Lambda puts in the payload of a function error. */
function functionError(err) {
  const e = err instanceof Error ? err : namedError("Error", String(err));
  const trace = (e.stack ?? "").split("\n").slice(1).map((line) => line.trim());
  return { errorType: e.name || "Error", errorMessage: e.message, trace };
}

// The server went away (it closes its end of the IPC channel when it stops or dies): so does this environment.
process.on("disconnect", () => process.exit(0));

let handler;
process.on("message", async ({ id, payload, context, timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  try {
    handler ??= loadHandler();
    const entry = await handler;
    const value = await entry(payload, { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) });
    // The answer must survive JSON, as Lambda's response payload does, and fit its 6 MB.
    const json = JSON.stringify(value ?? null);
    if (Buffer.byteLength(json) > RESPONSE_BYTES) {
      throw namedError("Function.ResponseSizeTooLarge", `Response payload size exceeded maximum allowed payload size (${RESPONSE_BYTES} bytes).`);
    }
    process.send({ id, value: JSON.parse(json) });
  } catch (err) {
    process.send({ id, error: functionError(err) });
  }
});
