import { EventField } from "../../protocol/index.ts";
import type { CodePiece } from "../analyze/render.ts";
import type { Local } from "../analyze/locals.ts";
import { CALLBACK_ANSWER } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { LAMBDA_INVOKE_WAIT } from "./lambda.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { applyCallbackTimeouts, checkStepOptions, serviceRetry } from "./options.ts";
import { putCallbackTask } from "./callback-heartbeat.ts";
import { emitRetryLoop, emitSubmitterRetryLoop } from "./retry-loop.ts";
import { nativeRetrier } from "./retry.ts";
import { emitAnswerCheck, serdesCatcher, serdesFailState, serdesOf } from "./serdes.ts";

/**
 * `step` and `waitForCallback`: one fragment Task, which may also run the code before the
 * operation (`site.merged`, see selection.ts). A step's retries are the Task's Retry when ASL can
 * express the strategy (else retry-loop.ts); a callback is a waitForTaskToken Task whose answer
 * ends it.
 */
export function emitStep(site: OperationSite<OpOf<"step" | "waitForCallback">>): void {
  const { op, block, name, target, tools } = site;
  const code = site.merged ? block.code : [];
  const pieces: CodePiece[] = [];
  const written: Local[] = site.merged ? [...tools.written(block)].filter((l) => site.liveAfter.has(l) && l !== target) : [];
  let tail: string;
  if (op.kind === "step") checkStepOptions(op.config?.node, true);
  const serdes = serdesOf(site, op.config?.node);
  if (op.kind === "step") {
    pieces.push(op.body.piece, ...(op.config ? [op.config.piece] : []));
    const key = serdes ? `, ${JSON.stringify(serdes.key)}` : "";
    tail = `result: await $d.step(${op.body.piece.text}${op.config ? `, ${op.config.piece.text}` : serdes ? ", undefined" : ""}${key})`;
    // The graph returns the result: the fragment says what one the machine would read as a marker stands for.
    if (site.returns) tail = `...$d.returning(await $d.step(${op.body.piece.text}${op.config ? `, ${op.config.piece.text}` : ""}), "${site.returns.as}")`;
  } else {
    pieces.push(op.submitter.piece, ...(op.config ? [op.config.piece] : []));
    tail = `submitted: await $d.submit(${op.submitter.piece.text}${op.config ? `, ${op.config.piece.text}` : ""})`;
  }
  const fragment = tools.fragment(name, code, pieces, written, tail);
  const state = tools.task(fragment, written, site.returns ? "" : site.next, op.call, op.kind !== "step" ? "callback" : code.length > 0 ? "codeThenStep" : "step");
  const payload = state.Arguments.Payload;
  if (op.name !== null && typeof op.name !== "string") {
    // The name goes into the payload, where the execution history shows it.
    payload.name = expression(site.computed.name ? "$states.input.name" : tools.name(op.name)!);
    site.entry.operation!.nameFrom = "payload";
  }
  const assign = state.Assign ?? {};
  let computedHeartbeat = false;
  if (op.kind === "step") {
    payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
    if (site.returns) endsWithResult(state, site.returns);
    else if (target) assign[target.id] = expression("$states.result.Payload.result");
    const native = nativeRetrier(op.config?.node);
    if (native) state.Retry = [native, ...serviceRetry(op.config?.node)];
    if (serdes) {
      // The SDK's serdes context names the execution; a SerdesFailedError passes every catch block.
      payload[EventField.execution] = expression("$states.context.Execution.Id");
      if (state.Catch || !native) state.Catch = [serdesCatcher(serdesFailState(site, name)), ...(state.Catch ?? [])];
    }
  } else {
    state.Resource = LAMBDA_INVOKE_WAIT;
    payload[EventField.callbackId] = expression("$states.context.Task.Token");
    payload[EventField.attempt] = expression("$states.context.State.RetryCount + 1");
    // The SDK hands the raw string to the handler; a JSON string answer is taken as that string.
    // An empty answer is no answer: the SDK hands the handler `undefined` (stored as the undefined marker).
    if (target && !serdes) assign[target.id] = expression(CALLBACK_ANSWER);
    delete state.Output;
    if (serdes) state.Next = emitAnswerCheck(site, serdes, typeof op.name === "string" ? op.name : null, site.next, op.call);
    for (const key of Object.keys(assign)) if (key !== target?.id) delete assign[key];
    computedHeartbeat = applyCallbackTimeouts(state, op.config?.node, site.computed.seconds);
    const native = nativeRetrier(op.config?.node);
    if (native) state.Retry = [native];
    // With a try handler, the Task's Catch already goes there; else the error is uncaught.
    if (!site.route.caught) state.Catch = [tools.catcher("callback")];
  }
  if (Object.keys(assign).length > 0) state.Assign = assign;
  else delete state.Assign;
  if (!nativeRetrier(op.config?.node)) {
    if (op.kind === "step") return emitRetryLoop(site as OperationSite<OpOf<"step">>, state, fragment.id);
    return emitSubmitterRetryLoop(site as OperationSite<OpOf<"waitForCallback">>, state, fragment.id, computedHeartbeat);
  }
  putCallbackTask(site.out, site.namer, name, state, op.call, { ...site.entry, fragment: fragment.id }, block, computedHeartbeat);
}

/** The step's Task ends the graph with the result as its Output: the result as stored, or what the fragment says a marker stands for. */
function endsWithResult(state: { Next?: string; End?: boolean; Output?: unknown }, returns: NonNullable<OperationSite["returns"]>): void {
  delete state.Next;
  state.End = true;
  state.Output = returns.output("($r := $states.result.Payload; $exists($r.returned) ? $r.returned.value : $r.result)");
}
