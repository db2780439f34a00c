import { EventField } from "../../protocol/index.ts";
import type { Local } from "../analyze/locals.ts";
import { possibleMutations } from "../analyze/mutations.ts";
import type { CodePiece } from "../analyze/render.ts";
import { fail, messages } from "../diagnostics.ts";
import { CALLBACK_ANSWER } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { LAMBDA_INVOKE_WAIT } from "./lambda.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { applyCallbackTimeouts, checkStepOptions, timeoutsAtRunTime } from "./options.ts";
import { putCallbackTask } from "./callback-heartbeat.ts";
import { retrierFor } from "./retry.ts";
import { emitCallbackCreated, withDeadlines } from "./callback-deadline.ts";
import { emitRelayedCallback } from "./callback-relay.ts";
import { emitAnswerCheck, serdesOf } from "./serdes.ts";

/**
 * `createCallback` up to `await promise`: one waitForTaskToken Task, at the await, whose fragment
 * runs the code that reads the id and the step that hands it on (its retries are the Task's
 * Retry), the task token being the id; the Task ends when the token is answered.
 * analyze/create-callback-shape.ts admits only the shapes where that is faithful.
 */
export function emitCreateCallback(site: OperationSite<OpOf<"createCallback">>): void {
  const { op, block, target, next, tools } = site;
  if (op.stage === "create") return emitCallbackCreated(site, op.created!);
  if (op.relayId) return emitRelayedCallback(site, op.relayId, op.created!);
  const step = op.step;
  for (const n of [op.name, step?.name ?? null]) {
    if (n !== null && typeof n !== "string") fail(n.node, messages.D2S2015.literalNames());
  }
  // What the code in the Task sets is lost with the Task's Lambda call: the answer is its result.
  // That includes an object it may change in place (`state.last = id`, `notify(order)`).
  for (const piece of op.handOn) {
    const changed = piece.node ? possibleMutations(piece.node, site.locals).map((m) => m.root) : [];
    const live = [...piece.writes, ...piece.declares, ...changed].find((l) => site.liveAfter.has(l) && l !== target);
    if (live) fail(piece.node ?? op.call, messages.D2S2015.handOnWritesLive());
  }
  if (step) checkStepOptions(step.config?.node);
  const token: CodePiece[] = op.callbackId
    ? [{ text: `let ${op.callbackId.id} = $d.event.${EventField.callbackId};`, reads: new Set<Local>(), writes: new Set<Local>(), declares: new Set([op.callbackId]) }]
    : [];
  const pieces = step ? [step.body.piece, ...(step.config ? [step.config.piece] : [])] : [];
  const tail = step ? `submitted: await $d.step(${step.body.piece.text}${step.config ? `, ${step.config.piece.text}` : ""})` : "submitted: true";
  const fragment = tools.fragment(site.name, [...token, ...op.handOn], pieces, [], tail);
  const state = tools.task(fragment, [], next, op.call, "callback");
  const payload = state.Arguments.Payload;
  state.Resource = LAMBDA_INVOKE_WAIT;
  payload[EventField.callbackId] = expression("$states.context.Task.Token");
  payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
  delete state.Output;
  delete state.Assign;
  const serdes = serdesOf(site, op.config?.node);
  if (target && !serdes) state.Assign = { [target.id]: expression(CALLBACK_ANSWER) };
  // Awaited later, its timeouts count from createCallback: only fixed ones can (callback-deadline.ts).
  if (op.created && timeoutsAtRunTime(op.config?.node)) fail(op.config!.node, messages.D2S2008.callbackTimeoutsAtRunTimeAwaitedLater());
  const computedHeartbeat = applyCallbackTimeouts(state, op.config?.node, site.computed.seconds);
  if (step) state.Retry = [retrierFor(step.config?.node)];
  state.Catch = [tools.catcher("createCallback")];
  state.Next = serdes ? emitAnswerCheck(site, serdes, typeof op.name === "string" ? op.name : null, next, op.call) : next;
  // Awaited after other operations, the Task continues the record its marker made (callback-deadline.ts).
  const name = op.created ? withDeadlines(site, state, op.created) : site.name;
  const handsOnTo = step ? { handsOnTo: { name: step.name as string | null } } : {};
  // `operation` names the callback for its answers (harness/run.ts); `callbackOf` keeps the trace's one record.
  const record = op.created ? { callbackOf: { key: op.created.id } } : {};
  putCallbackTask(site.out, site.namer, name, state, op.call, { ...site.entry, ...record, ...handsOnTo, fragment: fragment.id }, block, computedHeartbeat);
}
