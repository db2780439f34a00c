import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import type { AwsFlags } from "../aws-clients.ts";
import { AwsCallFailed, withSfn } from "../aws-call.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../exit.ts";

interface CallbackFlags extends AwsFlags {
  result?: string;
  error?: string;
  cause?: string;
}

const ACTIONS = ["succeed", "fail", "heartbeat"] as const;
type Action = (typeof ACTIONS)[number];

export function registerCallback(program: Command, setExit: (code: number) => void): void {
  program
    .command("callback")
    .description("Answer a waiting callback (a .waitForTaskToken task) on serve or AWS: SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat")
    .argument("<action>", "succeed, fail or heartbeat")
    .argument("<token>", "the task token, or the callback id the handler's code got (in a compiled machine they are the same string)")
    .option("--result <json>", "succeed: the result, as JSON (default: null)")
    .option("--error <name>", "fail: the error name")
    .option("--cause <text>", "fail: the cause")
    .option("--endpoint-url <url>", "Step Functions endpoint, e.g. a local `durable2sfn serve` (default: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, then AWS)")
    .option("--region <region>", "AWS region (default: AWS_REGION, the AWS config)")
    .addHelpText(
      "after",
      `
A durable handler's createCallback / waitForCallback id is the task token of its Task, so what the
code logged or handed on answers it. Its result arrives as the SDK would hand it: a JSON string is
kept as it is, anything else as its JSON text.

Exit codes: 0 sent; 1 the service refused it (TaskDoesNotExist, InvalidToken, TaskTimedOut, ...) or could not be reached; 2 usage errors.`,
    )
    .action(async (action: string, token: string, flags: CallbackFlags) => {
      const send = requestFor(checkedAction(action), unquoted(token), flags);
      try {
        await withSfn(`callback ${action}`, flags, send);
      } catch (err) {
        if (err instanceof AwsCallFailed) return setExit(EXIT_FAILURE);
        throw err;
      }
      process.stdout.write(`${action === "heartbeat" ? "heartbeat sent" : `callback answered (${action})`}\n`);
      setExit(EXIT_OK);
    });
}

function checkedAction(action: string): Action {
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`callback takes succeed, fail or heartbeat, not "${action}"`);
  return action as Action;
}

/** A token copied with its JSON quotes (from a log line or an event's JSON) is taken without them. */
function unquoted(token: string): string {
  const trimmed = token.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    try {
      return String(JSON.parse(trimmed));
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}

/** The call to make, its flags checked first (nothing is sent when they are wrong). */
function requestFor(action: Action, taskToken: string, flags: CallbackFlags): (sfn: SFNClient) => Promise<unknown> {
  const misplaced = action === "succeed" ? ["error", "cause"] : action === "fail" ? ["result"] : ["result", "error", "cause"];
  const given = misplaced.filter((flag) => flags[flag as keyof CallbackFlags] !== undefined);
  if (given.length > 0) throw new UsageError(`callback ${action} does not take --${given.join(" or --")}`);
  if (action === "heartbeat") return (sfn) => sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
  if (action === "fail") return (sfn) => sfn.send(new SendTaskFailureCommand({ taskToken, error: flags.error, cause: flags.cause }));
  const output = flags.result ?? "null";
  try {
    JSON.parse(output);
  } catch (err) {
    throw new UsageError(`--result must be JSON (${(err as Error).message}); a string is written with its quotes, '"yes"'`);
  }
  return (sfn) => sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
}
