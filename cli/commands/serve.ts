import type { Command } from "commander";
import { startServer, type ServeEvent } from "../../runtime/server/index.ts";
import type { MockConfig } from "../../runtime/emulator/index.ts";
import { EXIT_OK, UsageError } from "../exit.ts";
import { readJsonFile } from "../read-json.ts";

interface ServeFlags {
  port: string;
  host: string;
  quiet?: boolean;
  virtualClock?: boolean;
  mockConfig?: string;
}

export function registerServe(program: Command, setExit: (code: number) => void): void {
  program
    .command("serve")
    .description("Serve the Step Functions API (and the Lambda calls deploy makes) locally, in front of the emulator")
    .option("--port <n>", "port to listen on (0: any free port)", "8083")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--quiet", "do not log each request")
    .option("--virtual-clock", "run executions on the virtual clock: waits and retry intervals pass at once, in order")
    .option("--mock-config <file>", "a Step Functions Local mock configuration (default: $SFN_MOCK_CONFIG); start <machine ARN>#<TestCase> to use a test case")
    .addHelpText(
      "after",
      `
Executions run in real time, as on Step Functions: a Wait of an hour takes an hour, and a
.waitForTaskToken task's TimeoutSeconds fires when due. With --virtual-clock waits end at once, in
order, and a .waitForTaskToken task waits for its answer with its clock held (its TimeoutSeconds
does not fire). StartSyncExecution and TestState: turn the SDK's host prefix off
(disableHostPrefix: true; AWS CLI: AWS_DISABLE_HOST_PREFIX_INJECTION=true).
Only AWS clients are answered (a SigV4-shaped Authorization, the AWS content types, a loopback
Host, no Origin): a web page cannot drive it. The console page at / is served by serve itself
and talks to routes of its own under /console/, from its own origin only. Each execution started
and each task waiting for a token is printed, with the command that answers it. Functions run in
child processes with their Timeout.

Exit codes: 0 stopped (Ctrl-C); 2 usage errors (bad port, port in use).`,
    )
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${flags.port}"`);
      const errorLog = (line: string) => process.stderr.write(`${line}\n`);
      const log = flags.quiet ? undefined : errorLog;
      // A request must not end the server: a promise some execution leaves rejected is logged, not fatal.
      process.on("unhandledRejection", (err) => errorLog(`internal error: ${(err as Error)?.stack ?? String(err)}`));
      let server;
      // Set once listening; events come only from requests, so never before.
      let url = "";
      const onEvent = (event: ServeEvent) => process.stdout.write(describeEvent(event, url));
      try {
        server = await startServer({ port, host: flags.host, log, errorLog, onEvent, drawGraph, clock: flags.virtualClock ? "virtual" : "real", ...mockConfigOf(flags) });
        url = server.url;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") throw new UsageError(`cannot listen on ${flags.host}:${port} (${code})`);
        throw err;
      }
      if (!["127.0.0.1", "::1", "localhost"].includes(flags.host)) {
        errorLog(`warning: serve runs the code clients upload; on ${flags.host} anyone who can reach the port can upload and run code`);
      }
      process.stdout.write(`durable2sfn serve: Step Functions and Lambda API on ${server.url}\n`);
      process.stdout.write(`  console: ${server.url}/ (state machines, executions, graphs, callbacks)\n`);
      process.stdout.write(`  try: durable2sfn deploy handler.ts --endpoint-url ${server.url}\n`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      // Closing ends the function processes and open connections; executions still running are
      // dropped (everything is in memory). Should anything still hold the event loop, exit anyway.
      setTimeout(() => process.exit(EXIT_OK), 2000).unref();
      await server.close();
      setExit(EXIT_OK);
    });
}

/**
 * What serve prints as it happens (stdout, also with --quiet): each execution started, and each task
 * that waits for a token, with a command to answer it. In a compiled machine the callback id that the
 * handler's code got is that token.
 */
function describeEvent(event: ServeEvent, url: string): string {
  if (event.type === "started") return `execution started: ${event.executionArn}\n`;
  return [
    `task waiting: ${event.stateName} in ${event.executionArn}`,
    `  task token (the callback id): ${event.taskToken}`,
    `  answer: durable2sfn callback succeed ${event.taskToken} --result '{}' --endpoint-url ${url}`,
    "",
  ].join("\n");
}

/**
 * The console's graph: the same drawing as `durable2sfn graph --format svg`. The compiler (and
 * TypeScript with it) loads at the first graph asked for, not when serve starts.
 */
async function drawGraph(definition: object): Promise<string> {
  const { machineGraph, toSvg } = await import("../../compiler/index.ts");
  return await toSvg(machineGraph(definition));
}

/** `--mock-config`, or Step Functions Local's SFN_MOCK_CONFIG: read once, at start. */
function mockConfigOf(flags: ServeFlags): { mockConfig?: MockConfig } {
  const file = flags.mockConfig ?? process.env.SFN_MOCK_CONFIG;
  if (!file) return {};
  const config = readJsonFile(file, "mock configuration");
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(config) || !isObject((config as MockConfig).StateMachines ?? {}) || !isObject((config as MockConfig).MockedResponses ?? {})) {
    throw new UsageError(`${file}: a mock configuration is an object with StateMachines and MockedResponses objects`);
  }
  return { mockConfig: config as MockConfig };
}
