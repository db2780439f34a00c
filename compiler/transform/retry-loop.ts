import type { Block, DurableOp, ValueExpr } from "../analyze/cfg.ts";
import { stepRecordOf } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { CAUSE_MARKER, EventField, STEP_ATTEMPT_FAILED } from "../../protocol/index.ts";
import type { AslState, SourceMapEntry, StateBuilder } from "./states.ts";

/**
 * A retry strategy whose delays ASL Retry cannot express (a custom function, the linear
 * preset, HALF jitter, options computed at run time) runs as an explicit loop: the fragment
 * asks the strategy and puts its delay in the error; a Choice and a Wait of that delay bring
 * the next attempt. Exact for any strategy, at two more transitions per retry.
 */
export function emitRetryLoop(b: StateBuilder, name: string, block: Block, op: DurableOp, task: AslState, entry: Partial<SourceMapEntry>, fragment: string): void {
  const base = b.operationName(op);
  const [attemptName, decide, pause, giveUp] = ["attempt", "retry", "backoff", "failed"].map((s) => b.namer.name(`${base}-${s}`));
  const attempt = b.locals.temporary("attempt");
  const failure = b.locals.temporary("stepFailure");
  const payload = (task.Arguments as { Payload: Record<string, unknown> }).Payload;
  const first: Record<string, unknown> = { [attempt.id]: 1 };
  if (payload.name === expression("$states.input.name")) {
    // Retries enter the Task from the Wait, not from the code that computed the name: keep it in a variable.
    const opName = b.locals.temporary("operationName");
    first[opName.id] = expression("$states.input.name");
    payload.name = expression(`$${opName.id}`);
  }
  b.states.set(name, { Type: "Pass", Comment: `${b.comment(op.call)} first attempt`, Assign: first, Next: attemptName });
  b.locate(name, op.call, entry, block);
  payload[EventField.attempt] = expression(`$${attempt.id}`);
  task.Retry = b.serviceRetry((op as { config?: ValueExpr }).config?.node);
  if ((task.Retry as unknown[]).length === 0) delete task.Retry;
  task.Catch = [{ ErrorEquals: ["States.ALL"], Assign: { [failure.id]: expression("$states.errorOutput") }, Next: decide }];
  b.states.set(attemptName, task);
  b.locate(attemptName, op.call, { fragment, pollOf: name });
  b.states.set(decide, {
    Type: "Choice",
    Comment: `${b.comment(op.call)} retry when the strategy said so`,
    Choices: [{ Condition: expression(`$${failure.id}.Error = "${STEP_ATTEMPT_FAILED}"`), Assign: { [attempt.id]: expression(`$${attempt.id} + 1`) }, Next: pause }],
    Default: giveUp,
  });
  const delay = `( $trace := $parse($${failure.id}.Cause).trace; $line := $trace[$contains($, "${CAUSE_MARKER}")][0]; $parse($substringAfter($line, "${CAUSE_MARKER}")).retryAfterSeconds )`;
  b.states.set(pause, { Type: "Wait", Comment: `${b.comment(op.call)} the delay the retry strategy chose`, Seconds: expression(delay), Next: attemptName });
  const record = stepRecordOf(`$${failure.id}`);
  b.states.set(giveUp, {
    Type: "Pass",
    Comment: "the step failed for good",
    Assign: { [b.errorGoesTo(block).record]: expression(record) },
    Next: b.errorGoesTo(block).next,
  });
}
