import { EventField } from "../../protocol/index.ts";
import type { Local } from "../analyze/locals.ts";
import { fail, messages } from "../diagnostics.ts";
import { CALLBACK_ANSWER } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { LAMBDA_INVOKE_WAIT } from "./lambda.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { applyCallbackTimeouts, checkStepOptions } from "./options.ts";
import { retrierFor } from "./retry.ts";

/**
 * `createCallback` + the step that hands the id on + `await promise`: one waitForTaskToken Task
 * whose fragment runs the step (its retries are the Task's Retry) with the task token as the id;
 * the Task ends when the token is answered. analyze/create-callback-shape.ts admits only this shape.
 */
export function emitCreateCallback(site: OperationSite<OpOf<"createCallback">>): void {
  const { op, name, block, target, next, tools } = site;
  const step = op.step;
  for (const n of [op.name, step.name]) {
    if (n !== null && typeof n !== "string") fail(n.node, messages.D2S2015.literalNames());
  }
  checkStepOptions(step.config?.node);
  const token = { text: `let ${op.callbackId.id} = $d.event.${EventField.callbackId};`, reads: new Set<Local>(), writes: new Set<Local>(), declares: new Set([op.callbackId]) };
  const pieces = [step.body.piece, ...(step.config ? [step.config.piece] : [])];
  const fragment = tools.fragment(name, [token], pieces, [], `submitted: await $d.step(${step.body.piece.text}${step.config ? `, ${step.config.piece.text}` : ""})`);
  const state = tools.task(fragment, [], next, op.call, "callback");
  const payload = state.Arguments.Payload;
  state.Resource = LAMBDA_INVOKE_WAIT;
  payload[EventField.callbackId] = expression("$states.context.Task.Token");
  payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
  delete state.Output;
  delete state.Assign;
  if (target) state.Assign = { [target.id]: expression(CALLBACK_ANSWER) };
  applyCallbackTimeouts(state, op.config?.node);
  state.Retry = [retrierFor(step.config?.node)];
  state.Catch = [tools.catcher("createCallback")];
  state.Next = next;
  site.out.put(name, state);
  site.out.locate(name, op.call, { ...site.entry, handsOnTo: { name: step.name as string | null }, fragment: fragment.id }, block);
}
