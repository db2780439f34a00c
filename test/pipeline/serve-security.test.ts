import http from "node:http";
import net from "node:net";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateFunctionCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { CreateStateMachineCommand, ListStateMachinesCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServe } from "../../bench/serve-load.ts";
import { startServer, type RunningServer } from "../../runtime/server/server.ts";
import { localClients, rejection, TEST_ROLE } from "./aws.ts";

/** Each case is the request a web page or an attacker would send, made with http.request directly. */
let server: RunningServer;
let clients: ReturnType<typeof localClients>;
const errorLog: string[] = [];
const requestLog: string[] = [];
beforeAll(async () => {
  server = await startServer({ log: (line) => requestLog.push(line), errorLog: (line) => errorLog.push(line) });
  clients = localClients(server.url);
});
afterAll(async () => {
  clients.sfn.destroy();
  clients.lambda.destroy();
  await server.close();
});

const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The AWS error type, from the header serve sets on every error. */
  type?: string;
}

function send(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Answer> {
  const body = options.body ?? "";
  const headers: Record<string, string | number> = { host: `127.0.0.1:${server.port}`, ...options.headers };
  if (!options.chunked) headers["content-length"] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, method: options.method ?? "POST", path: options.path ?? "/", headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text, type: res.headers["x-amzn-errortype"] as string | undefined }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A Step Functions call as the SDK makes it, with one part changed by the case. */
const sfn = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
  send({
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AWSStepFunctions.${operation}`, authorization: auth("states"), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** After every refused request the server must still answer a proper client. */
async function expectStillServing(): Promise<void> {
  const listed = await clients.sfn.send(new ListStateMachinesCommand({}));
  expect(listed.$metadata.httpStatusCode).toBe(200);
}

const noCorsHeaders = (answer: Answer) => expect(Object.keys(answer.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);

describe("serve refuses what a web page can send", () => {
  it("a text/plain POST with no Authorization (a form or fetch from any page) is MissingAuthenticationTokenException", async () => {
    const start = await send({ headers: { "content-type": "text/plain", "x-amz-target": "AWSStepFunctions.ListStateMachines" }, body: "{}" });
    expect(start).toMatchObject({ status: 403, type: "MissingAuthenticationTokenException" });
    expect(JSON.parse(start.body).__type).toMatch(/#MissingAuthenticationTokenException$/);
    const create = await send({ path: "/2015-03-31/functions", headers: { "content-type": "text/plain" }, body: '{"FunctionName":"x"}' });
    expect(create).toMatchObject({ status: 403, type: "MissingAuthenticationTokenException" });
    noCorsHeaders(create);
    await expectStillServing();
  });

  it("a signed request with a content type a page may send without preflight is UnsupportedMediaTypeException", async () => {
    expect(await sfn("ListStateMachines", {}, { "content-type": "text/plain" })).toMatchObject({ status: 415, type: "UnsupportedMediaTypeException" });
    const invoke = await send({ path: "/2015-03-31/functions/f/invocations", headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth("lambda") }, body: "a=1" });
    expect(invoke).toMatchObject({ status: 415, type: "UnsupportedMediaTypeException" });
  });

  it("a CORS preflight (OPTIONS) and any request with an Origin header are refused, with no CORS headers", async () => {
    const preflight = await send({
      method: "OPTIONS",
      path: "/2015-03-31/functions",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight).toMatchObject({ status: 403, type: "AccessDeniedException" });
    noCorsHeaders(preflight);
    const withOrigin = await sfn("ListStateMachines", {}, { origin: "https://evil.example" });
    expect(withOrigin).toMatchObject({ status: 403, type: "AccessDeniedException" });
    noCorsHeaders(withOrigin);
    await expectStillServing();
  });

  it("a Host other than the loopback address it listens on (DNS rebinding) is refused", async () => {
    expect(await sfn("ListStateMachines", {}, { host: "evil.example" })).toMatchObject({ status: 403, type: "AccessDeniedException" });
    expect(await sfn("ListStateMachines", {}, { host: `evil.example:${server.port}` })).toMatchObject({ status: 403 });
    expect(await sfn("ListStateMachines", {}, { host: `localhost:${server.port}` })).toMatchObject({ status: 200 });
  });

  it("an Authorization header that is not SigV4-shaped, or signed for another service, is refused", async () => {
    expect(await sfn("ListStateMachines", {}, { authorization: "Bearer abc" })).toMatchObject({ status: 403, type: "IncompleteSignatureException" });
    expect(await sfn("ListStateMachines", {}, { authorization: auth("lambda") })).toMatchObject({ status: 403, type: "InvalidSignatureException" });
  });
});

describe("serve isolates each request", () => {
  it("GET //[ (a target URL cannot parse) is a 400, and the server keeps serving", async () => {
    const answer = await send({ method: "GET", path: "//[", headers: { authorization: auth("lambda") } });
    expect(answer).toMatchObject({ status: 400, type: "MalformedHttpRequestException" });
    await expectStillServing();
  });

  it("bytes that are not HTTP get 400 from the parser, and the server keeps serving", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, "127.0.0.1", () => socket.end("GET //[ HTTP/1.1 what\r\n\0\r\n\r\n"));
      let text = "";
      socket.on("data", (d) => (text += d));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await expectStillServing();
  });

  it("a body over the limit is 413 RequestEntityTooLargeException, with or without Content-Length", async () => {
    const huge = JSON.stringify({ definition: "x".repeat(3 * 1024 * 1024) });
    const declared = await sfn("ValidateStateMachineDefinition", huge);
    expect(declared).toMatchObject({ status: 413, type: "RequestEntityTooLargeException" });
    const chunked = await send({
      chunked: true,
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.ValidateStateMachineDefinition", authorization: auth("states") },
      body: huge,
    });
    expect(chunked).toMatchObject({ status: 413, type: "RequestEntityTooLargeException" });
    await expectStillServing();
  });

  it("an internal error is a 500 with no stack trace or local path; the detail goes to the server's log", async () => {
    // Nesting deep enough to overflow the validator's recursion: a bug of ours, not the client's fault.
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const answer = await sfn("ValidateStateMachineDefinition", { definition: `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Output":${deep}}}}` });
    expect(answer).toMatchObject({ status: 500, type: "InternalFailure" });
    expect(answer.body).not.toMatch(/\bat |\/[a-z]+\/|node_modules/);
    expect(errorLog.join("\n")).toContain("internal error");
    await expectStillServing();
  });
});

describe("serve checks operations and fields as the API does", () => {
  it("X-Amz-Target naming an object prototype member or nothing is UnknownOperationException", async () => {
    for (const operation of ["constructor", "toString", "__proto__", "hasOwnProperty", "NoSuchOperation"]) {
      const answer = await sfn(operation, {});
      expect(answer, operation).toMatchObject({ status: 400, type: "UnknownOperationException" });
    }
    const otherService = await sfn("ListStateMachines", {}, { "x-amz-target": "DynamoDB_20120810.ListTables" });
    expect(otherService).toMatchObject({ status: 400, type: "UnknownOperationException" });
    await expectStillServing();
  });

  it("fields of the wrong JSON type are ValidationException; a body that is not an object is SerializationException", async () => {
    const cases: Array<[string, unknown, string]> = [
      ["CreateStateMachine", { name: 5, definition: "{}", roleArn: TEST_ROLE }, "'name'"],
      ["StartExecution", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x", input: {} }, "'input'"],
      ["ValidateStateMachineDefinition", { definition: "{}", maxResults: "x" }, "'maxResults'"],
      ["GetExecutionHistory", { executionArn: "arn:x", reverseOrder: "yes" }, "'reverseOrder'"],
      ["SendTaskFailure", { taskToken: "t", error: 1 }, "'error'"],
    ];
    for (const [operation, body, field] of cases) {
      const answer = await sfn(operation, body);
      expect(answer, operation).toMatchObject({ status: 400, type: "ValidationException" });
      expect(JSON.parse(answer.body).message).toContain(`1 validation error detected: Value at ${field} failed to satisfy constraint`);
    }
    const lambdaCreate = await send({
      path: "/2015-03-31/functions",
      headers: { "content-type": "application/json", authorization: auth("lambda") },
      body: JSON.stringify({ FunctionName: "typed", Role: TEST_ROLE, Timeout: "x", Code: { ZipFile: "" } }),
    });
    expect(lambdaCreate).toMatchObject({ status: 400, type: "ValidationException" });
    expect(JSON.parse(lambdaCreate.body).message).toContain("Value at 'Timeout'");
    expect(await sfn("ListStateMachines", "[1,2]")).toMatchObject({ status: 400, type: "SerializationException" });
    expect(await sfn("ListStateMachines", "{nope")).toMatchObject({ status: 400, type: "SerializationException" });
  });

  it("execution input and SendTaskSuccess output over 256 KiB are ValidationException", async () => {
    const big = JSON.stringify({ s: "é".repeat(140_000) }); // 280,000 bytes of UTF-8, fewer characters
    const start = await sfn("StartExecution", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x", input: big });
    expect(start).toMatchObject({ status: 400, type: "ValidationException" });
    expect(JSON.parse(start.body).message).toBe("1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144");
    const success = await sfn("SendTaskSuccess", { taskToken: "t", output: big });
    expect(success).toMatchObject({ status: 400, type: "ValidationException" });
    expect(JSON.parse(success.body).message).toContain("Value at 'output'");
  });
});

describe("serve runs function code apart from the server", () => {
  const zipOf = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, new TextEncoder().encode(text)])));
  const create = (FunctionName: string, source: string, extra: { Handler?: string; Timeout?: number; files?: Record<string, string> } = {}) =>
    clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName,
        Role: TEST_ROLE,
        Handler: extra.Handler ?? "index.handler",
        Timeout: extra.Timeout,
        Code: { ZipFile: zipOf(extra.files ?? { "index.mjs": source }) },
      }),
    );
  const invoke = async (FunctionName: string, payload: unknown = {}) => {
    const out = await clients.lambda.send(new InvokeCommand({ FunctionName, Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
    return { functionError: out.FunctionError, payload: JSON.parse(new TextDecoder().decode(out.Payload)) };
  };

  it("a handler calling process.exit(1) is a function error for that invoke; the next invoke starts a fresh process", async () => {
    await create("exits", "export const handler = async (e) => { if (e.exit) process.exit(1); return { pid: process.pid }; };");
    const first = await invoke("exits");
    const exited = await invoke("exits", { exit: true });
    expect(exited.functionError).toBe("Unhandled");
    expect(exited.payload.errorType).toBe("Runtime.ExitError");
    expect(exited.payload.errorMessage).toContain("Runtime exited with error: exit status 1");
    const next = await invoke("exits");
    expect(next.functionError).toBeUndefined();
    expect(next.payload.pid).not.toBe(first.payload.pid);
    await expectStillServing();
  });

  it("a handler that loops forever ends at its Timeout with Lambda's timeout error", async () => {
    await create("spins", "export const handler = async () => { for (;;) {} };", { Timeout: 1 });
    const timedOut = await invoke("spins");
    expect(timedOut.functionError).toBe("Unhandled");
    expect(timedOut.payload.errorType).toBe("Sandbox.Timedout");
    expect(timedOut.payload.errorMessage).toContain("Task timed out after 1.00 seconds");
    await expectStillServing();
  });

  it("a handler cannot read the server's globals or environment", async () => {
    (globalThis as Record<string, unknown>).serveSecret = "server-only";
    process.env.SERVE_SECRET = "server-only";
    await create("snoops", "export const handler = async () => ({ global: globalThis.serveSecret ?? null, env: process.env.SERVE_SECRET ?? null, pid: process.pid });");
    const { payload } = await invoke("snoops");
    expect(payload).toMatchObject({ global: null, env: null });
    expect(payload.pid).not.toBe(process.pid);
    delete process.env.SERVE_SECRET;
  });

  it("a handler cannot signal the server, read files outside its folder or start processes; it may write its TMPDIR", async () => {
    const source = `
      import fs from "node:fs";
      import { execSync } from "node:child_process";
      const attempt = (f) => { try { f(); return "allowed"; } catch (e) { return e.code; } };
      export const handler = async (e) => ({
        signal: attempt(() => process.kill(process.ppid, 0)),
        group: attempt(() => process.kill(-process.ppid, 0)),
        read: attempt(() => fs.readFileSync(e.outside)),
        spawn: attempt(() => execSync("true")),
        tmp: attempt(() => fs.writeFileSync(process.env.TMPDIR + "/scratch", "ok")),
        own: attempt(() => fs.readFileSync("index.mjs")),
      });`;
    await create("confined", source);
    const { payload } = await invoke("confined", { outside: path.resolve("package.json") });
    expect(payload).toEqual({ signal: "EPERM", group: "EPERM", read: "ERR_ACCESS_DENIED", spawn: "ERR_ACCESS_DENIED", tmp: "allowed", own: "allowed" });
    await expectStillServing();
  });

  it("a function's output reaches the server's log a bounded line at a time; an answer over 6 MB is Function.ResponseSizeTooLarge", async () => {
    await create("chatty", 'export const handler = async (e) => { console.log("hello from chatty"); console.log("y".repeat(100_000)); return e.big ? "x".repeat(7_000_000) : "ok"; };');
    expect((await invoke("chatty")).payload).toBe("ok");
    const lines = requestLog.filter((line) => line.startsWith("[chatty] "));
    expect(lines[0]).toBe("[chatty] hello from chatty");
    expect(lines[1]).toMatch(/^\[chatty\] y+ \[line cut\]$/);
    expect(lines[1]!.length).toBeLessThan(100_000);
    const tooBig = await invoke("chatty", { big: true });
    expect(tooBig).toMatchObject({ functionError: "Unhandled", payload: { errorType: "Function.ResponseSizeTooLarge" } });
  });

  it("a Handler or zip entry outside the function's folder is InvalidParameterValueException", async () => {
    for (const Handler of ["../x.handler", "/etc/x.handler", "a/../../x.handler"]) {
      expect(await rejection(create("escape", "", { Handler })), Handler).toMatchObject({ name: "InvalidParameterValueException", status: 400 });
    }
    const outside = `durable2sfn-escape-${process.pid}.mjs`;
    for (const entry of [`../${outside}`, `/tmp/${outside}`, `a/../../${outside}`]) {
      const answer = await rejection(create("escape", "", { files: { "index.mjs": "export const handler = () => 1;", [entry]: "x" } }));
      expect(answer, entry).toMatchObject({ name: "InvalidParameterValueException", status: 400 });
      expect(answer.message).toContain("Unsafe path in zip");
    }
    expect(existsSync(path.join(os.tmpdir(), outside))).toBe(false);
    await expectStillServing();
  });
});

describe("durable2sfn serve stops on a signal", () => {
  it("SIGINT with a function process alive and an execution waiting on a callback: exit 0, the function process gone", async () => {
    const { child, url } = await spawnServe();
    const remote = localClients(url);
    try {
      const code = { ZipFile: zipSync({ "index.mjs": new TextEncoder().encode("export const handler = async () => ({ pid: process.pid });") }) };
      await remote.lambda.send(new CreateFunctionCommand({ FunctionName: "pid", Role: TEST_ROLE, Handler: "index.handler", Code: code }));
      const out = await remote.lambda.send(new InvokeCommand({ FunctionName: "pid" }));
      const { pid } = JSON.parse(new TextDecoder().decode(out.Payload));
      const { stateMachineArn } = await remote.sfn.send(
        new CreateStateMachineCommand({ name: "waits", definition: readFileSync("test/fixtures/asl/approval.asl.json", "utf8"), roleArn: TEST_ROLE }),
      );
      await remote.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGINT");
      expect(await exit).toBe(0);
      expect(alive(pid)).toBe(false);
    } finally {
      remote.sfn.destroy();
      remote.lambda.destroy();
      child.kill("SIGKILL");
    }
  });
});

/** Whether the process still runs: a zombie (dead, not yet reaped by an init that may never reap) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc")) return true;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}
