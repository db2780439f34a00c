import http from "node:http";
import { readFileSync } from "node:fs";
import { CreateStateMachineCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { machineGraph, toSvg } from "../../compiler/index.ts";
import { startServer, type RunningServer, type ServeEvent } from "../../runtime/server/index.ts";
import { localClients } from "../pipeline/aws.ts";
import { waitingToken } from "./events.ts";

let server: RunningServer;
let bare: RunningServer;
const events: ServeEvent[] = [];
const approval = readFileSync("test/fixtures/asl/approval.asl.json", "utf8");

beforeAll(async () => {
  server = await startServer({ onEvent: (e) => events.push(e), drawGraph: async (definition) => await toSvg(machineGraph(definition)) });
  bare = await startServer();
  const { sfn } = localClients(server.url);
  await sfn.send(new CreateStateMachineCommand({ name: "approval", definition: approval, roleArn: "arn:aws:iam::123456789012:role/r" }));
  sfn.destroy();
});
afterAll(async () => {
  await server.close();
  await bare.close();
});

const CONSOLE = { "Content-Type": "application/json", "X-Durable2sfn-Console": "1" };
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:approval";

/** What the page's fetch would send: the console's header, JSON; `headers` add or replace (null: leave out). */
async function api(operation: string, body: unknown, headers: Record<string, string | null> = {}) {
  const all = Object.fromEntries(Object.entries({ ...CONSOLE, ...headers }).filter(([, v]) => v !== null)) as Record<string, string>;
  const response = await fetch(`${server.url}/console/api/${operation}`, { method: "POST", headers: all, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port: server.port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on("error", reject);
  });
}

describe("serve: the console page's routes", () => {
  it("GET / is the page, its script and style beside it, with a policy that allows only serve's own", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/console/console.js"></script>');
    const script = await fetch(`${server.url}/console/console.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("/console/api/");
    expect((await fetch(`${server.url}/console/console.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${server.url}/console/nothing`)).status).toBe(404);
  });

  it("the page's files ship in the package (package.json files), found beside the code as in a clone", () => {
    const { files } = JSON.parse(readFileSync("package.json", "utf8")) as { files: string[] };
    for (const file of ["index.html", "console.js", "console.css"]) expect(files).toContain(`runtime/server/console/${file}`);
  });

  it("calls the Step Functions operations the page needs, and no others", async () => {
    const listed = await api("ListStateMachines", {});
    expect(listed.status).toBe(200);
    expect((listed.body.stateMachines as Array<{ name: string }>).map((m) => m.name)).toEqual(["approval"]);
    const create = await api("CreateStateMachine", { name: "x", definition: approval, roleArn: "r" });
    expect(create).toMatchObject({ status: 404, body: { __type: expect.stringContaining("UnknownOperationException") } });
    const missing = await api("DescribeExecution", { executionArn: "arn:aws:states:us-east-1:123456789012:execution:approval:none" });
    expect(missing).toMatchObject({ status: 400, body: { __type: expect.stringContaining("ExecutionDoesNotExist") } });
  });

  it("refuses what another page, a form or a rebound host name could send", async () => {
    const deny = { status: 403, body: { __type: expect.stringContaining("AccessDeniedException") } };
    expect(await api("ListStateMachines", {}, { "X-Durable2sfn-Console": null })).toMatchObject(deny);
    expect(await api("ListStateMachines", {}, { Origin: "http://evil.example" })).toMatchObject(deny);
    expect(await api("ListStateMachines", {}, { "Sec-Fetch-Site": "cross-site" })).toMatchObject(deny);
    expect(await api("ListStateMachines", {}, { "Content-Type": "text/plain" })).toMatchObject({ status: 415 });
    const own = new URL(server.url).host;
    expect(await api("ListStateMachines", {}, { Origin: `http://${own}`, "Sec-Fetch-Site": "same-origin" })).toMatchObject({ status: 200 });
    expect(await getWithHost("/", "evil.example:80")).toBe(403);
    expect(await getWithHost("/", own)).toBe(200);
    expect((await fetch(`${server.url}/console/api/ListStateMachines`, { method: "PUT", headers: CONSOLE, body: "{}" })).status).toBe(403);
  });

  it("draws the machine with one element per state; a serve without a drawer says so", async () => {
    const graph = await fetch(`${server.url}/console/graph?arn=${encodeURIComponent(MACHINE)}`);
    expect(graph.headers.get("content-type")).toBe("image/svg+xml");
    const svg = await graph.text();
    expect(svg).toMatch(/^<svg /);
    for (const state of ["Approval", "Done"]) expect(svg).toContain(`data-state="${state}"`);
    expect((await fetch(`${server.url}/console/graph?arn=${encodeURIComponent("arn:aws:states:us-east-1:123456789012:stateMachine:none")}`)).status).toBe(400);
    expect((await fetch(`${bare.url}/console/graph?arn=x`)).status).toBe(404);
  });

  it("gives each state's status and the tasks waiting, which the page answers", async () => {
    const started = await api("StartExecution", { stateMachineArn: MACHINE, name: "console-1", input: '{"n":1}' });
    const executionArn = started.body.executionArn as string;
    const token = await waitingToken(events, executionArn);
    const view = async () => (await (await fetch(`${server.url}/console/execution?arn=${encodeURIComponent(executionArn)}`)).json()) as Record<string, unknown>;
    expect(await view()).toMatchObject({ status: "RUNNING", states: [{ name: "Approval", type: "Task", status: "waiting", input: '{"n":1}' }], waiting: [{ taskToken: token, stateName: "Approval" }] });
    expect((await api("SendTaskSuccess", { taskToken: token, output: '{"ok":true}' })).status).toBe(200);
    let done: Record<string, unknown> = {};
    for (let i = 0; i < 200 && done.status !== "SUCCEEDED"; i++) {
      done = await view();
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(done).toMatchObject({ status: "SUCCEEDED", waiting: [], states: [{ name: "Approval", status: "succeeded", output: '{"ok":true}' }, { name: "Done", status: "succeeded" }] });
  });
});
