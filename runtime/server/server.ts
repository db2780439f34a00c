import http from "node:http";
import type { AddressInfo } from "node:net";
import type { MockConfig } from "../emulator/index.ts";
import { REGION } from "../emulator/limits.ts";
import { AwsError, SFN_ERROR_PREFIX } from "./aws-error.ts";
import { isConsoleRequest, serveConsole, type DrawGraph } from "./console/routes.ts";
import { Executions, type ServeEvent } from "./executions.ts";
import { Functions } from "./functions.ts";
import { serveRelay } from "./relay.ts";
import { jsonObject, LAMBDA_PATH, lambdaRoute, type RestResponse } from "./lambda-api.ts";
import { checkRequest, hostsFor, type Api } from "./request-guard.ts";
import { stepFunctionsOperations } from "./sfn-api.ts";
import { StateMachines } from "./state-machines.ts";

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Told about each request, e.g. `StartExecution 200`, and each line a function logs. */
  log?: (line: string) => void;
  /** Told the detail (stack) of an internal error, which the 500 answer leaves out; defaults to `log`. */
  errorLog?: (line: string) => void;
  /** Told of each execution started and each task token a task waits on, as they happen. */
  onEvent?: (event: ServeEvent) => void;
  /** Draws a machine for the console page (`GET /console/graph`); without it the page shows no graph. */
  drawGraph?: DrawGraph;
  /** "real" (the default): executions take real time, as on Step Functions. "virtual": waits pass at once. */
  clock?: "real" | "virtual";
  /** Step Functions Local's mock configuration: StartExecution of `<machine ARN>#<TestCase>` uses that test case. */
  mockConfig?: MockConfig;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SFN_TARGET_PREFIX = "AWSStepFunctions.";

/**
 * Largest request bodies, in bytes. Step Functions: room for a 1 MiB definition once JSON-escaped
 * (fields are then held to the API's own limits, 256 KiB for input and output). Invoke: Lambda's
 * 6 MB synchronous payload. CreateFunction / UpdateFunctionCode: Lambda's 70,167,211 bytes, a
 * 50 MB zip in base64. Anything else (GetFunction) has no body to speak of.
 */
export const BODY_LIMITS = { states: 2 * 1024 * 1024, invoke: 6 * 1024 * 1024, code: 70_167_211, other: 64 * 1024 } as const;

/**
 * A local endpoint speaking the Step Functions wire protocol (AWS JSON 1.0, `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Op>`) in front of the emulator, plus the few Lambda operations
 * that `deploy` uses, so that a machine deployed here runs its tasks on the deployed bundle.
 * Point the SDK at it with `endpoint` and `disableHostPrefix: true` (StartSyncExecution and TestState
 * are otherwise sent to `sync-<host>`, which is accepted too when it resolves). Each request is handled on
 * its own: whatever it holds ends as an AWS error answer, never as the end of the server.
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const errorLog = options.errorLog ?? log;
  const functions = new Functions(log);
  const machines = new StateMachines();
  const executions = new Executions(functions, { clock: options.clock ?? "real", ...(options.mockConfig && { mockConfig: options.mockConfig }), ...(options.onEvent && { onEvent: options.onEvent }) });
  functions.relay = serveRelay(executions);
  const operations = stepFunctionsOperations(machines, executions);
  let allowedHosts = new Set<string>();

  const handle = async (req: http.IncomingMessage): Promise<{ label: string; api: Api; response: RestResponse }> => {
    // Any X-Amz-Target makes an AWS JSON call (the Lambda REST API has none), answered in that shape.
    const target = req.headers["x-amz-target"];
    const api: Api = typeof target === "string" ? "states" : "lambda";
    let label = api === "states" ? String(target).replace(SFN_TARGET_PREFIX, "").slice(0, 100) : `${req.method} ${(req.url ?? "").slice(0, 100)}`;
    try {
      checkRequest(req, api, allowedHosts);
      const pathname = requestPath(req.url);
      const region = regionOf(req.headers.authorization);
      if (api === "states") {
        const operation = String(target).startsWith(SFN_TARGET_PREFIX) ? operations.get(label) : undefined;
        if (!operation || req.method !== "POST" || pathname !== "/") throw new AwsError("UnknownOperationException", `serve does not implement ${label}`);
        const body = jsonObject(await readBody(req, BODY_LIMITS.states), "SerializationException");
        return { label, api, response: { status: 200, body: await operation(body, region) } };
      }
      label = `${req.method} ${pathname}`;
      if (!pathname.startsWith(LAMBDA_PATH)) throw new AwsError("UnknownOperationException", `No such endpoint: ${label.slice(0, 100)}`, 404);
      const limit = pathname.endsWith("/invocations") ? BODY_LIMITS.invoke : req.method === "GET" ? BODY_LIMITS.other : BODY_LIMITS.code;
      return { label, api, response: await lambdaRoute(functions, req.method ?? "GET", pathname, await readBody(req, limit), region) };
    } catch (err) {
      return { label, api, response: errorResponse(err, api, errorLog) };
    }
  };

  const consoleContext = {
    machines,
    executions,
    operations,
    allowedHosts: () => allowedHosts,
    readJson: async (req: http.IncomingMessage) => jsonObject(await readBody(req, BODY_LIMITS.states), "SerializationException"),
    drawGraph: options.drawGraph,
  };

  const server = http.createServer((req, res) => {
    // The console page (GET /, /console/...) has its own guard and answers; everything else is an AWS call.
    const url = consoleUrl(req);
    if (url) {
      void serveConsole(req, res, url, consoleContext).then(
        (status) => log(`${req.method} ${url.pathname.slice(0, 100)} ${status}`),
        (err) => {
          errorLog(`internal error: ${(err as Error)?.stack ?? String(err)}`);
          res.writeHead(500, { "Content-Type": "text/plain" }).end("Internal error in serve; the server's log has the details");
        },
      );
      return;
    }
    void handle(req).then(({ label, api, response }) => {
      log(`${label} ${response.status}${response.status >= 400 ? ` ${(response.headers ?? {})["x-amzn-ErrorType"]}` : ""}`);
      const contentType = api === "states" ? "application/x-amz-json-1.0" : "application/json";
      // A body left unread (a refused request) is not drained: the connection ends with the answer.
      const close = req.complete ? {} : { Connection: "close" };
      res.writeHead(response.status, { "Content-Type": contentType, ...close, ...response.headers });
      res.end(JSON.stringify(response.body ?? null));
    });
  });
  // A client that trickles its headers or body is cut off rather than holding a connection forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  // Bytes that are not HTTP never reach the handler: Node's own clientError answer (400, 431, 408) does.

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  allowedHosts = hostsFor(address, port);
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        functions.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a console request, else undefined (the AWS handling then answers a target it cannot parse). */
function consoleUrl(req: http.IncomingMessage): URL | undefined {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://localhost");
  } catch {
    return undefined;
  }
  return isConsoleRequest(req, url.pathname) ? url : undefined;
}

/** The path of the request target; one `new URL` cannot parse (`//[`) is the client's error. */
function requestPath(target: string | undefined): string {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    throw new AwsError("MalformedHttpRequestException", "The request target is not a valid URL path");
  }
}

/** The body as text, refused with 413 (before reading it, when Content-Length says so) past `limit` bytes. */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new AwsError("RequestEntityTooLargeException", `Request must be smaller than ${limit} bytes for this operation`, 413);
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        req.removeAllListeners("data");
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The region the client signed for (`Credential=AKID/20250101/eu-west-1/states/aws4_request`), so ARNs name it. */
function regionOf(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d+\/([a-z0-9-]+)\//.exec(authorization ?? "")?.[1] ?? REGION;
}

/**
 * Step Functions errors in the JSON 1.0 shape; Lambda errors with the type in x-amzn-ErrorType (set
 * on both, for clients that read only the header). An internal error's detail goes to the log, not
 * to the client: no stack, no local path.
 */
function errorResponse(err: unknown, api: Api, errorLog: (line: string) => void): RestResponse {
  let error: AwsError;
  if (err instanceof AwsError) error = err;
  else {
    errorLog(`internal error: ${(err as Error)?.stack ?? String(err)}`);
    error = new AwsError(api === "states" ? "InternalFailure" : "ServiceException", "Internal error in serve; the server's log has the details", 500);
  }
  const headers = { "x-amzn-ErrorType": error.type };
  if (api === "states") return { status: error.status, body: { __type: `${SFN_ERROR_PREFIX}${error.type}`, message: error.message }, headers };
  return { status: error.status, body: { Type: error.status >= 500 ? "Service" : "User", message: error.message }, headers };
}
