import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { performance } from "node:perf_hooks";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { zipSync } from "fflate";

/**
 * A bounded load on `serve` over loopback, as a client of it would make: executions started at an
 * even pace, each running a deployed Lambda function (in its child process) and then waiting on a
 * callback that the driver answers with SendTaskSuccess once it sees the token in the history.
 * Used by `npm run bench` (200 executions) and by the test suite (a smaller run).
 */
export interface LoadOptions {
  url: string;
  executions: number;
  /** Over how long the starts are spread. */
  seconds: number;
  /** How long one execution may take from its start before it counts as stuck. */
  stuckAfterMs?: number;
}

export interface LoadFigures {
  executions: number;
  requests: number;
  /** Calls that failed (an error answer or a broken connection). */
  failures: number;
  /** Executions that did not end SUCCEEDED with the output they should have. */
  lost: number;
  /** Executions still RUNNING when their time was up. */
  stuck: number;
  p50Ms: number;
  p99Ms: number;
  wallSeconds: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const ROLE = "arn:aws:iam::123456789012:role/load";
const POLL_MS = 50;

/** Doubles `n` in the function, then waits for the callback, whose output is the execution's. */
const machine = (functionArn: string) =>
  JSON.stringify({
    QueryLanguage: "JSONata",
    StartAt: "Double",
    States: {
      Double: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { FunctionName: functionArn, Payload: "{% $states.input %}" },
        Output: "{% $states.result.Payload %}",
        Next: "Approve",
      },
      Approve: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Arguments: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/load", MessageBody: { token: "{% $states.context.Task.Token %}", doubled: "{% $states.input.doubled %}" } },
        End: true,
      },
    },
  });

export async function runServeLoad(options: LoadOptions): Promise<LoadFigures> {
  const config = {
    region: "us-east-1",
    endpoint: options.url,
    credentials: { accessKeyId: "load", secretAccessKey: "load" },
    disableHostPrefix: true,
    maxAttempts: 1, // a retry would hide a lost request
  };
  const sfn = new SFNClient(config);
  const lambda = new LambdaClient(config);
  const latencies: number[] = [];
  let failures = 0;
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } catch (err) {
      failures++;
      throw err;
    } finally {
      latencies.push(performance.now() - started);
    }
  };

  const run = `load${Date.now().toString(36)}`;
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: `${run}-double`,
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: zipSync({ "index.mjs": new TextEncoder().encode("export const handler = async (e) => ({ doubled: e.n * 2 });") }) },
    }),
  );
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: run, definition: machine(fn.FunctionArn!), roleArn: ROLE }));
  const stuckAfterMs = options.stuckAfterMs ?? 30_000;
  let lost = 0;
  let stuck = 0;

  /** One execution end to end; its outcome is counted, never thrown. */
  const one = async (n: number): Promise<void> => {
    const deadline = Date.now() + stuckAfterMs;
    const pause = () => new Promise((r) => setTimeout(r, POLL_MS));
    try {
      const { executionArn } = await timed(() => sfn.send(new StartExecutionCommand({ stateMachineArn, name: `e${n}`, input: JSON.stringify({ n }) })));
      let token: string | undefined;
      while (!token) {
        if (Date.now() > deadline) return void stuck++;
        const { events } = await timed(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })));
        const scheduled = events!.find((e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails?.resourceType === "sqs");
        token = scheduled && JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).MessageBody.token;
        if (!token) await pause();
      }
      await timed(() => sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ n, approved: true }) })));
      for (;;) {
        const described = await timed(() => sfn.send(new DescribeExecutionCommand({ executionArn })));
        if (described.status === "SUCCEEDED") {
          if (JSON.parse(described.output!).n !== n) lost++;
          return;
        }
        if (described.status !== "RUNNING") return void lost++;
        if (Date.now() > deadline) return void stuck++;
        await pause();
      }
    } catch {
      lost++;
    }
  };

  const started = performance.now();
  const spacing = (options.seconds * 1000) / options.executions;
  const all: Promise<void>[] = [];
  for (let n = 0; n < options.executions; n++) {
    all.push(one(n));
    await new Promise((r) => setTimeout(r, spacing));
  }
  await Promise.all(all);
  const wallSeconds = (performance.now() - started) / 1000;
  sfn.destroy();
  lambda.destroy();
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { executions: options.executions, requests: latencies.length, failures, lost, stuck, p50Ms: quantile(0.5), p99Ms: quantile(0.99), wallSeconds };
}

/** `durable2sfn serve --port 0 --quiet` as its own process, once it has printed the URL it listens on. */
export function spawnServe(extraArgs: string[] = []): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, ["cli/bin.mjs", "serve", "--port", "0", "--quiet", ...extraArgs]);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once("exit", () => reject(new Error(`serve exited early: ${out}`)));
  });
}
