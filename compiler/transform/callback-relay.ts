import { FRAGMENTS_FUNCTION, RelayField } from "../../protocol/index.ts";
import type { Local } from "../analyze/locals.ts";
import { fail, messages } from "../diagnostics.ts";
import type { FragmentTaskState } from "./asl-types.ts";
import { putCallbackTask } from "./callback-heartbeat.ts";
import { CALLBACK_ANSWER } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { LAMBDA_INVOKE_WAIT, SERVICE_RETRIER } from "./lambda.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { applyCallbackTimeouts, timeoutsAtRunTime } from "./options.ts";
import { emitAnswerCheck, serdesOf } from "./serdes.ts";

/**
 * The await of a callback whose id (made by its marker, `$uuid()`) was handed on before: a
 * waitForTaskToken Task of the relay (runtime/fragments/relay.ts) registers the task token for
 * the id, and the relay sends the answer to it, at once when it came before. Under the SDK the
 * timeout counts from createCallback: the relay refuses an answer that came after
 * `deadline`, and the Task waits for what is left of the timeout, at least one second (a Task
 * cannot time out sooner; a deadline already past thus times out one second after the await,
 * where the SDK's callback timed out before it).
 */
export function emitRelayedCallback(site: OperationSite<OpOf<"createCallback">>, id: Local, created: Local): void {
  const { op, target, next, tools } = site;
  const config = op.config?.node;
  if (timeoutsAtRunTime(config)) fail(config!, messages.D2S2008.callbackTimeoutsAtRunTimeAwaitedLater());
  const state: FragmentTaskState = {
    Type: "Task",
    Comment: tools.comment(op.call),
    Resource: LAMBDA_INVOKE_WAIT,
    Arguments: {
      FunctionName: FRAGMENTS_FUNCTION,
      Payload: { [RelayField.relay]: "register", [RelayField.callbackId]: expression(`$${id.id}`), [RelayField.token]: expression("$states.context.Task.Token"),
        [RelayField.created]: expression(`$${created.id}`),
        [RelayField.deadline]: null,
      },
    },
  };
  applyCallbackTimeouts(state, config);
  // A heartbeat would need the answerer's heartbeats relayed to the token too, before it exists.
  if (state.HeartbeatSeconds !== undefined) fail(config!, messages.D2S2015.relayedHeartbeat());
  if (typeof state.TimeoutSeconds === "number") {
    const ms = state.TimeoutSeconds * 1000;
    state.Arguments.Payload[RelayField.deadline] = expression(`$${created.id} + ${ms}`);
    state.TimeoutSeconds = expression(`$max([1, $ceil((${ms} - ($millis() - $${created.id})) / 1000)])`);
  }
  const serdes = serdesOf(site, config);
  if (target && !serdes) state.Assign = { [target.id]: expression(CALLBACK_ANSWER) };
  // Registering twice is harmless (the relay keeps one item per id), so a Lambda hiccup is retried.
  state.Retry = [SERVICE_RETRIER];
  state.Catch = [tools.catcher("createCallback")];
  state.Next = serdes ? emitAnswerCheck(site, serdes, typeof op.name === "string" ? op.name : null, next, op.call) : next;
  putCallbackTask(site.out, site.namer, site.name, state, op.call, { ...site.entry, callbackOf: { key: created.id }, relay: true }, site.block);
}
