import http from "node:http";
import type { AddressInfo } from "node:net";
import { REGION } from "../emulator/limits.ts";
import { AwsError, SFN_ERROR_PREFIX } from "./aws-error.ts";
import { Executions } from "./executions.ts";
import { Functions } from "./functions.ts";
import { lambdaRoute, type RestResponse } from "./lambda-api.ts";
import { stepFunctionsOperations } from "./sfn-api.ts";
import { StateMachines } from "./state-machines.ts";

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Told about each request, e.g. `StartExecution 200`. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SFN_TARGET_PREFIX = "AWSStepFunctions.";

/**
 * A local endpoint speaking the Step Functions wire protocol (AWS JSON 1.0, `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Op>`) in front of the emulator, plus the few Lambda operations
 * that `deploy` uses, so that a machine deployed here runs its tasks on the deployed bundle.
 * Point the SDK at it with `endpoint` and `disableHostPrefix: true`.
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const functions = new Functions();
  const machines = new StateMachines();
  const executions = new Executions(functions);
  const operations = stepFunctionsOperations(machines, executions);
  const log = options.log ?? (() => {});

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const target = String(req.headers["x-amz-target"] ?? "");
    const label = target.startsWith(SFN_TARGET_PREFIX) ? target.slice(SFN_TARGET_PREFIX.length) : `${req.method} ${url.pathname}`;
    let response: RestResponse;
    try {
      const text = await readBody(req);
      const region = regionOf(req.headers.authorization);
      if (target.startsWith(SFN_TARGET_PREFIX)) {
        const operation = operations[label];
        if (!operation) throw new AwsError("UnknownOperationException", `serve does not implement ${label}`);
        response = { status: 200, body: operation(parseJson(text), region) };
      } else {
        const routed = await lambdaRoute(functions, req.method ?? "GET", url.pathname, text ? parseJson(text) : undefined, region);
        if (!routed) throw new AwsError("UnknownOperationException", `No such endpoint: ${req.method} ${url.pathname}`, 404);
        response = routed;
      }
    } catch (err) {
      response = errorResponse(err, target.startsWith(SFN_TARGET_PREFIX));
    }
    log(`${label} ${response.status}${response.status >= 400 ? ` ${(response.headers ?? {})["x-amzn-ErrorType"]}` : ""}`);
    const contentType = target ? "application/x-amz-json-1.0" : "application/json";
    res.writeHead(response.status, { "Content-Type": contentType, ...response.headers });
    res.end(JSON.stringify(response.body));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        functions.close();
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "The request body is not valid JSON");
  }
}

/** The region the client signed for (`Credential=AKID/20250101/eu-west-1/states/aws4_request`), so ARNs name it. */
function regionOf(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d+\/([a-z0-9-]+)\//.exec(authorization ?? "")?.[1] ?? REGION;
}

/** Step Functions errors in the JSON 1.0 shape; Lambda errors with the type in x-amzn-ErrorType. */
function errorResponse(err: unknown, stepFunctions: boolean): RestResponse {
  const error = err instanceof AwsError ? err : new AwsError(stepFunctions ? "InternalFailure" : "ServiceException", `Internal error in serve: ${(err as Error)?.stack ?? String(err)}`, 500);
  const headers = { "x-amzn-ErrorType": error.type };
  if (stepFunctions) return { status: error.status, body: { __type: `${SFN_ERROR_PREFIX}${error.type}`, message: error.message }, headers };
  return { status: error.status, body: { Type: "User", message: error.message }, headers };
}
