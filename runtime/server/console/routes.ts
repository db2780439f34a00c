import { readFileSync } from "node:fs";
import type http from "node:http";
import { packageFile } from "../../../protocol/package-file.ts";
import { REGION } from "../../emulator/limits.ts";
import { AwsError, SFN_ERROR_PREFIX } from "../aws-error.ts";
import type { Executions } from "../executions.ts";
import type { StateMachines } from "../state-machines.ts";
import { checkConsoleRequest } from "./guard.ts";
import { stateRuns } from "./state-status.ts";

/** Draws a state machine definition as SVG (the CLI gives the compiler's drawing; runtime/ cannot import it). */
export type DrawGraph = (definition: object) => string | Promise<string>;

export interface ConsoleContext {
  machines: StateMachines;
  executions: Executions;
  /** The Step Functions operations, by name; the page may call only those of CONSOLE_OPERATIONS. */
  operations: Map<string, (body: Record<string, unknown>, region: string) => unknown>;
  allowedHosts: () => ReadonlySet<string>;
  readJson: (req: http.IncomingMessage) => Promise<Record<string, unknown>>;
  drawGraph?: DrawGraph;
}

/** What the page does: look, start an execution, stop one, answer a callback. Nothing that creates machines or uploads code. */
const CONSOLE_OPERATIONS = new Set([
  "ListStateMachines",
  "DescribeStateMachine",
  "ListExecutions",
  "DescribeExecution",
  "GetExecutionHistory",
  "StartExecution",
  "StopExecution",
  "SendTaskSuccess",
  "SendTaskFailure",
  "SendTaskHeartbeat",
]);

/** The page's files, shipped in the package beside the code (package.json `files`). */
const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/console/console.js": { file: "console.js", type: "text/javascript; charset=utf-8" },
  "/console/console.css": { file: "console.css", type: "text/css; charset=utf-8" },
};

/** Scripts and styles from serve itself only, no framing (the answer buttons must not be clickjacked). */
const HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** Requests for the console: `GET /` and anything under `/console/`, never an AWS call (those carry X-Amz-Target). */
export function isConsoleRequest(req: http.IncomingMessage, pathname: string): boolean {
  if (req.headers["x-amz-target"] !== undefined) return false;
  // Browsers ask for /favicon.ico on their own: a plain 404 rather than the AWS API's 403.
  const page = pathname === "/" || pathname === "/favicon.ico";
  return (page && (req.method === "GET" || req.method === "HEAD")) || pathname.startsWith("/console/");
}

/** Answers one console request; returns its status for the request log. */
export async function serveConsole(req: http.IncomingMessage, res: http.ServerResponse, url: URL, context: ConsoleContext): Promise<number> {
  let answer: Answer;
  try {
    checkConsoleRequest(req, context.allowedHosts());
    answer = await route(req, url, context);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    answer = json(err.status, { __type: `${SFN_ERROR_PREFIX}${err.type}`, message: err.message });
  }
  res.writeHead(answer.status, { "Content-Type": answer.type, ...HEADERS });
  res.end(req.method === "HEAD" ? undefined : answer.body);
  return answer.status;
}

const json = (status: number, value: unknown): Answer => ({ status, type: "application/json", body: JSON.stringify(value) });

async function route(req: http.IncomingMessage, url: URL, context: ConsoleContext): Promise<Answer> {
  const asset = Object.hasOwn(ASSETS, url.pathname) ? ASSETS[url.pathname] : undefined;
  const get = req.method === "GET" || req.method === "HEAD";
  if (asset && get) return { status: 200, type: asset.type, body: assetText(asset.file) };
  if (url.pathname === "/console/graph" && get) return graph(url, context);
  if (url.pathname === "/console/execution" && get) return json(200, executionView(url, context));
  const operation = url.pathname.startsWith("/console/api/") ? url.pathname.slice("/console/api/".length) : undefined;
  if (operation !== undefined && req.method === "POST") {
    const run = CONSOLE_OPERATIONS.has(operation) ? context.operations.get(operation) : undefined;
    if (!run) throw new AwsError("UnknownOperationException", `the console does not call ${operation.slice(0, 100)}`, 404);
    // The region matters only to CreateStateMachine, which the page does not call.
    return json(200, (await run(await context.readJson(req), REGION)) ?? {});
  }
  throw new AwsError("UnknownOperationException", `No such console page: ${req.method} ${url.pathname.slice(0, 100)}`, 404);
}

const cache = new Map<string, string>();
function assetText(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(packageFile(`runtime/server/console/${file}`), "utf8");
    cache.set(file, text);
  }
  return text;
}

function requiredParam(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new AwsError("ValidationException", `the query parameter '${name}' is required`);
  return value;
}

async function graph(url: URL, context: ConsoleContext): Promise<Answer> {
  if (!context.drawGraph) throw new AwsError("UnknownOperationException", "this serve draws no graphs (durable2sfn serve does)", 404);
  const machine = context.machines.get(requiredParam(url, "arn"));
  return { status: 200, type: "image/svg+xml", body: await context.drawGraph(JSON.parse(machine.definition)) };
}

/** Each state's status, input and output, and the tasks waiting for an answer, for the execution view. */
function executionView(url: URL, context: ConsoleContext) {
  const { executions } = context;
  const record = executions.get(requiredParam(url, "arn"));
  const status = record.result?.status ?? "RUNNING";
  const waiting = executions.waiting(record);
  return { status, states: stateRuns(executions.history(record), status, new Set(waiting.map((w) => w.stateName))), waiting };
}
