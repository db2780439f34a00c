import type { Block, CreateCallbackOp } from "../analyze/cfg.ts";
import type { Local } from "../analyze/locals.ts";
import { fail } from "../diagnostics.ts";
import { EventField } from "../../protocol/index.ts";
import { CALLBACK_ANSWER } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { LAMBDA_INVOKE_WAIT } from "./lambda.ts";
import { retrierFor } from "./retry.ts";
import type { SourceMapEntry, StateBuilder } from "./states.ts";

/**
 * `createCallback` + the step that hands the id on + `await promise`: one waitForTaskToken Task
 * whose fragment runs the step (its retries are the Task's Retry) with the task token as the id;
 * the Task ends when the token is answered. lower.ts admits only this shape.
 */
export function emitCreateCallback(b: StateBuilder, name: string, block: Block, op: CreateCallbackOp, target: Local | undefined, next: string, entry: Partial<SourceMapEntry>): void {
  const step = op.step;
  for (const n of [op.name, step.name]) {
    if (n !== null && typeof n !== "string") fail(n.node, "D2S2015", "createCallback and its step need literal names here", "write the names as string literals");
  }
  b.checkStepOptions(step.config?.node);
  const token = { text: `let ${op.callbackId.id} = $d.event.${EventField.callbackId};`, reads: new Set<Local>(), writes: new Set<Local>(), declares: new Set([op.callbackId]) };
  const pieces = [step.body.piece, ...(step.config ? [step.config.piece] : [])];
  const fragment = b.fragment(name, [token], pieces, [], `submitted: await $d.step(${step.body.piece.text}${step.config ? `, ${step.config.piece.text}` : ""})`);
  const state = b.task(block, fragment, [], next, op.call, "callback");
  const payload = (state.Arguments as { Payload: Record<string, unknown> }).Payload;
  state.Resource = LAMBDA_INVOKE_WAIT;
  payload[EventField.callbackId] = expression("$states.context.Task.Token");
  payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
  delete state.Output;
  delete state.Assign;
  if (target) state.Assign = { [target.id]: expression(CALLBACK_ANSWER) };
  b.applyCallbackTimeouts(state, op.config?.node);
  state.Retry = [retrierFor(step.config?.node)];
  const { record, next: onError } = b.errorGoesTo(block);
  state.Catch = [b.catcher("createCallback", record, onError)];
  state.Next = next;
  b.states.set(name, state);
  b.locate(name, op.call, { ...entry, handsOnTo: { name: step.name as string | null }, fragment: fragment.id }, block);
}
