import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import type { AwsFlags } from "../aws-clients.ts";
import { AwsCallFailed, withSfn } from "../aws-call.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../exit.ts";
import { answerThroughRelay, RELAY_ID } from "../relay-answer.ts";

interface CallbackFlags extends AwsFlags {
  result?: string;
  error?: string;
  cause?: string;
  function?: string;
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
    .option("--function <name>", "a callback id of the relay (a UUID): the fragments function of the handler, by name or ARN (default: D2S_FRAGMENTS_FUNCTION)")
    .option("--endpoint-url <url>", "Step Functions (and, for the relay, Lambda) endpoint, e.g. a local `durable2sfn serve` (default: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, then AWS)")
    .option("--region <region>", "AWS region (default: AWS_REGION, the AWS config)")
    .addHelpText(
      "after",
      `
A durable handler's createCallback / waitForCallback id is the task token of its Task, so what the
code logged or handed on answers it. Its result arrives as the SDK would hand it: a JSON string is
kept as it is, anything else as its JSON text.

A createCallback whose id is handed on before its promise is awaited later has an id of its own (a
UUID), answered through the callback relay of the fragments function: name that function with
--function (the stack's FragmentsFunctionArn output); the answer is sent to the Task that waits for
it, or kept until the handler awaits it.

Exit codes: 0 sent; 1 the service refused it (TaskDoesNotExist, InvalidToken, TaskTimedOut, ...) or could not be reached; 2 usage errors.`,
    )
    .action(async (action: string, token: string, flags: CallbackFlags) => {
      const id = unquoted(token);
      if (RELAY_ID.test(id)) return answerRelayed(checkedAction(action), id, flags, setExit);
      if (flags.function !== undefined) throw new UsageError("--function is for a callback id of the relay (a UUID); a task token is answered with Step Functions directly");
      const send = requestFor(checkedAction(action), id, flags);
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

async function answerRelayed(action: Action, callbackId: string, flags: CallbackFlags, setExit: (code: number) => void): Promise<void> {
  if (action === "heartbeat") throw new UsageError("a callback id of the relay takes no heartbeat: the relay does not pass heartbeats on (the compiler refuses heartbeatTimeout on such a callback)");
  const functionName = flags.function ?? process.env.D2S_FRAGMENTS_FUNCTION;
  if (!functionName) throw new UsageError(`${callbackId} is a callback id of the relay: name the handler's fragments function with --function (or D2S_FRAGMENTS_FUNCTION)`);
  const outcome = action === "fail" ? (checkFlags(action, flags), { error: flags.error ?? "", cause: flags.cause ?? "" }) : { output: successOutput(flags) };
  try {
    const relayed = await answerThroughRelay(functionName, callbackId, outcome, flags);
    process.stdout.write(`callback answered (${action})${relayed === "kept" ? ", kept by the relay until the handler awaits it" : ""}\n`);
    setExit(EXIT_OK);
  } catch (err) {
    if (err instanceof AwsCallFailed) return setExit(EXIT_FAILURE);
    throw err;
  }
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
  checkFlags(action, flags);
  if (action === "heartbeat") return (sfn) => sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
  if (action === "fail") return (sfn) => sfn.send(new SendTaskFailureCommand({ taskToken, error: flags.error, cause: flags.cause }));
  const output = successOutput(flags);
  return (sfn) => sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
}

function checkFlags(action: Action, flags: CallbackFlags): void {
  const misplaced = action === "succeed" ? ["error", "cause"] : action === "fail" ? ["result"] : ["result", "error", "cause"];
  const given = misplaced.filter((flag) => flags[flag as keyof CallbackFlags] !== undefined);
  if (given.length > 0) throw new UsageError(`callback ${action} does not take --${given.join(" or --")}`);
}

/** The JSON text of `--result`, checked. */
function successOutput(flags: CallbackFlags): string {
  checkFlags("succeed", flags);
  const output = flags.result ?? "null";
  try {
    JSON.parse(output);
  } catch (err) {
    throw new UsageError(`--result must be JSON (${(err as Error).message}); a string is written with its quotes, '"yes"'`);
  }
  return output;
}
