import { CAUSE_MARKER, EventField, SERDES_FAILED_ERROR, STEP_ATTEMPT_FAILED } from "../../protocol/index.ts";
import type { Local } from "../analyze/locals.ts";
import type { FragmentTaskState, WaitState } from "./asl-types.ts";
import { putCallbackTask } from "./callback-heartbeat.ts";
import { stepRecordOf } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { operationName } from "./names.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { serviceRetry } from "./options.ts";
import { waitSecondsJsonata } from "./wait.ts";

/**
 * A retry strategy whose delays ASL Retry cannot express (a custom function, the linear
 * preset, HALF jitter, options computed at run time) runs as an explicit loop: the fragment
 * asks the strategy and puts its delay in the error; a Choice and a Wait of that delay bring
 * the next attempt. Exact for any strategy, at two more transitions per retry. Part of the step
 * emitter (step.ts): `task` is the step's Task, not yet written.
 */
export function emitRetryLoop(site: OperationSite<OpOf<"step">>, task: FragmentTaskState, fragment: string): void {
  const { op, namer, locals, out, tools } = site;
  const base = operationName(op);
  const [attemptName, decide, pause, giveUp] = ["attempt", "retry", "backoff", "failed"].map((s) => namer.name(`${base}-${s}`));
  const attempt = locals.temporary("attempt");
  const failure = locals.temporary("stepFailure");
  firstAttempt(site, task, attempt, attemptName);
  task.Retry = serviceRetry(op.config?.node);
  if (task.Retry.length === 0) delete task.Retry;
  // A SerdesFailedError catcher (serdes.ts) stays first: it is no failure of the step to retry.
  const serdes = (task.Catch ?? []).filter((c) => c.ErrorEquals.includes(SERDES_FAILED_ERROR));
  task.Catch = [...serdes, { ErrorEquals: ["States.ALL"], Assign: { [failure.id]: expression("$states.errorOutput") }, Next: decide }];
  out.put(attemptName, task);
  out.locate(attemptName, op.call, { fragment, pollOf: site.name });
  out.put(decide, {
    Type: "Choice",
    Comment: `${tools.comment(op.call)} retry when the strategy said so`,
    Choices: [{ Condition: expression(`$${failure.id}.Error = "${STEP_ATTEMPT_FAILED}"`), Assign: { [attempt.id]: expression(`$${attempt.id} + 1`) }, Next: pause }],
    Default: giveUp,
  });
  out.put(pause, backoff(tools.comment(op.call), `$${failure.id}`, attemptName));
  const record = stepRecordOf(`$${failure.id}`);
  out.put(giveUp, { Type: "Pass", Comment: "the step failed for good", Assign: { [site.route.record]: expression(record) }, Next: site.route.next() });
}

/** The Wait of the delay the strategy chose, which the fragment put in the failed attempt's Cause (`failure`, JSONata). */
function backoff(comment: string, failure: string, next: string): WaitState {
  const delay = `( $trace := $parse(${failure}.Cause).trace; $line := $trace[$contains($, "${CAUSE_MARKER}")][0]; $parse($substringAfter($line, "${CAUSE_MARKER}")).retryAfterSeconds )`;
  return { Type: "Wait", Comment: `${comment} the delay the retry strategy chose`, Seconds: expression(waitSecondsJsonata(delay)), Next: next };
}

/**
 * A waitForCallback whose submitter's strategy ASL Retry cannot express: the same loop as a
 * step's, smaller. A failed attempt the strategy retries (StepAttemptFailed) is caught before the
 * callback's own catcher, waits the delay and starts the Task again with the next attempt; any
 * other failure (the submitter given up on, an answer's failure, a timeout) goes where it did.
 */
export function emitSubmitterRetryLoop(site: OperationSite<OpOf<"waitForCallback">>, task: FragmentTaskState, fragment: string, computedHeartbeat = false): void {
  const { op, namer, locals, out, tools } = site;
  const base = operationName(op);
  const [attemptName, pause] = ["attempt", "backoff"].map((s) => namer.name(`${base}-${s}`));
  const attempt = locals.temporary("attempt");
  const failure = locals.temporary("submitterFailure");
  firstAttempt(site, task, attempt, attemptName);
  const retried = { ErrorEquals: [STEP_ATTEMPT_FAILED], Assign: { [failure.id]: expression("$states.errorOutput"), [attempt.id]: expression(`$${attempt.id} + 1`) }, Next: pause };
  task.Catch = [retried, ...(task.Catch ?? [])];
  delete task.Retry;
  putCallbackTask(out, namer, attemptName, task, op.call, { fragment, pollOf: site.name }, undefined, computedHeartbeat);
  out.put(pause, backoff(tools.comment(op.call), `$${failure.id}`, attemptName));
}

/**
 * The Pass that starts a retry loop at attempt 1, under the operation's own name. Retries enter
 * the Task from the Wait, not from the code that computed the operation's inputs: a computed
 * name, and a callback's computed timeouts (options.ts, timeoutsCode), are kept in variables.
 */
function firstAttempt(site: OperationSite<OpOf<"step" | "waitForCallback">>, task: FragmentTaskState, attempt: Local, attemptName: string): void {
  const { op, name, block, entry, locals, out, tools } = site;
  const payload = task.Arguments.Payload;
  const first: Record<string, unknown> = { [attempt.id]: 1 };
  if (payload.name === expression("$states.input.name")) {
    const opName = locals.temporary("operationName");
    first[opName.id] = expression("$states.input.name");
    payload.name = expression(`$${opName.id}`);
  }
  if (op.kind === "waitForCallback" && site.computed.seconds) {
    const timeouts = locals.temporary("callbackTimeouts");
    first[timeouts.id] = expression("$states.input.timeouts");
    task.TimeoutSeconds = expression(`$${timeouts.id}.timeout`);
    if (task.HeartbeatSeconds !== undefined) task.HeartbeatSeconds = expression(`$${timeouts.id}.heartbeat`);
  }
  out.put(name, { Type: "Pass", Comment: `${tools.comment(op.call)} first attempt`, Assign: first, Next: attemptName });
  out.locate(name, op.call, entry, block);
  payload[EventField.attempt] = expression(`$${attempt.id}`);
}
