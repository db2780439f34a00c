import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StopExecutionCommand,
  type ExecutionListItem,
  type ExecutionStatus,
  type HistoryEvent,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import type { AwsFlags } from "../aws-clients.ts";
import { AwsCallFailed, withSfn } from "../aws-call.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../exit.ts";
import { textTable } from "../text-table.ts";

interface ExecutionsFlags extends AwsFlags {
  stateMachine?: string;
  status?: string;
  error?: string;
  cause?: string;
  json?: boolean;
}

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];
const ACTIONS: Record<string, { needsArn: boolean; flags: Array<keyof ExecutionsFlags> }> = {
  list: { needsArn: false, flags: ["stateMachine", "status"] },
  history: { needsArn: true, flags: [] },
  stop: { needsArn: true, flags: ["error", "cause"] },
};
const FLAG_NAMES: Partial<Record<keyof ExecutionsFlags, string>> = { stateMachine: "--state-machine", status: "--status", error: "--error", cause: "--cause" };

export function registerExecutions(program: Command, setExit: (code: number) => void): void {
  program
    .command("executions")
    .description("List executions, show one's history, or stop one, on serve or AWS")
    .argument("<action>", "list, history or stop")
    .argument("[execution-arn]", "history and stop: the execution")
    .option("--state-machine <arn>", "list: only this state machine's executions (default: every state machine's)")
    .option("--status <status>", `list: only executions in this status (${STATUSES.join(", ")})`)
    .option("--error <name>", "stop: the error to record")
    .option("--cause <text>", "stop: the cause to record")
    .option("--json", "print JSON (executions, events, or the stop date) instead of a table")
    .option("--endpoint-url <url>", "Step Functions endpoint, e.g. a local `durable2sfn serve` (default: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, then AWS)")
    .option("--region <region>", "AWS region (default: AWS_REGION, the AWS config)")
    .addHelpText("after", "\nExit codes: 0 done; 1 the service refused the call (ExecutionDoesNotExist, ...) or could not be reached; 2 usage errors.")
    .action(async (action: string, executionArn: string | undefined, flags: ExecutionsFlags) => {
      checkArguments(action, executionArn, flags);
      try {
        const text = await withSfn(`executions ${action}`, flags, (sfn) =>
          action === "list" ? list(sfn, flags) : action === "history" ? history(sfn, executionArn!, flags) : stop(sfn, executionArn!, flags),
        );
        process.stdout.write(text);
      } catch (err) {
        if (err instanceof AwsCallFailed) return setExit(EXIT_FAILURE);
        throw err;
      }
      setExit(EXIT_OK);
    });
}

function checkArguments(action: string, executionArn: string | undefined, flags: ExecutionsFlags): void {
  const spec = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!spec) throw new UsageError(`executions takes list, history or stop, not "${action}"`);
  if (spec.needsArn && !executionArn) throw new UsageError(`executions ${action} needs an execution ARN`);
  if (!spec.needsArn && executionArn) throw new UsageError(`executions list takes no execution ARN (--state-machine picks a state machine)`);
  for (const flag of Object.keys(FLAG_NAMES) as Array<keyof ExecutionsFlags>) {
    if (flags[flag] !== undefined && !spec.flags.includes(flag)) throw new UsageError(`executions ${action} does not take ${FLAG_NAMES[flag]}`);
  }
  if (flags.status !== undefined && !STATUSES.includes(flags.status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}, not "${flags.status}"`);
}

const when = (date: Date | undefined) => (date ? date.toISOString() : "-");

/** Every page of a listing, following nextToken. */
async function allPages<T>(fetch: (nextToken: string | undefined) => Promise<{ items?: T[]; nextToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetch(nextToken);
    all.push(...(page.items ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

async function list(sfn: SFNClient, flags: ExecutionsFlags): Promise<string> {
  const machines = flags.stateMachine
    ? [flags.stateMachine]
    : (await allPages(async (nextToken) => {
        const out = await sfn.send(new ListStateMachinesCommand({ nextToken }));
        return { items: out.stateMachines, nextToken: out.nextToken };
      })).map((m) => m.stateMachineArn!);
  const executions: ExecutionListItem[] = [];
  for (const stateMachineArn of machines) {
    executions.push(
      ...(await allPages(async (nextToken) => {
        const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: flags.status as ExecutionStatus | undefined, nextToken }));
        return { items: out.executions, nextToken: out.nextToken };
      })),
    );
  }
  executions.sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
  if (flags.json) return `${JSON.stringify(executions, null, 2)}\n`;
  if (executions.length === 0) return "no executions\n";
  return textTable(
    ["STATUS", "STARTED", "STOPPED", "EXECUTION"],
    executions.map((e) => [e.status ?? "", when(e.startDate), when(e.stopDate), e.executionArn ?? ""]),
  );
}

async function history(sfn: SFNClient, executionArn: string, flags: ExecutionsFlags): Promise<string> {
  const events = await allPages(async (nextToken) => {
    const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    return { items: out.events, nextToken: out.nextToken };
  });
  if (flags.json) return `${JSON.stringify(events, null, 2)}\n`;
  return textTable(
    ["ID", "TIME", "TYPE", "STATE", "DETAIL"],
    events.map((e) => [String(e.id ?? ""), when(e.timestamp), e.type ?? "", stateOf(e), detailOf(e)]),
  );
}

async function stop(sfn: SFNClient, executionArn: string, flags: ExecutionsFlags): Promise<string> {
  const out = await sfn.send(new StopExecutionCommand({ executionArn, error: flags.error, cause: flags.cause }));
  if (flags.json) return `${JSON.stringify({ executionArn, stopDate: out.stopDate })}\n`;
  return `stopped ${executionArn} (${when(out.stopDate)})\n`;
}

/** The events' details objects, whatever their type (`taskFailedEventDetails`, ...). */
function details(e: HistoryEvent): Record<string, unknown>[] {
  return Object.entries(e)
    .filter(([key, value]) => key.endsWith("EventDetails") && value && typeof value === "object")
    .map(([, value]) => value as Record<string, unknown>);
}

function stateOf(e: HistoryEvent): string {
  return e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name ?? "";
}

/** The part of an event a reader looks for: an error and its cause, else the output or input, cut to one short line. */
function detailOf(e: HistoryEvent): string {
  for (const d of details(e)) {
    const text = d.error !== undefined ? `${d.error}${d.cause ? `: ${d.cause}` : ""}` : (d.output ?? d.input);
    if (typeof text === "string" && text !== "") {
      const line = text.replace(/\s+/g, " ");
      return line.length > 80 ? `${line.slice(0, 79)}…` : line;
    }
  }
  return "";
}
