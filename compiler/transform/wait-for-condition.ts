import type { Block, DurableOp } from "../analyze/cfg.ts";
import type { Local } from "../analyze/locals.ts";
import { EventField, PollField, UNDEFINED_MARKER_KEY } from "../../protocol/index.ts";
import { expression } from "./jsonata.ts";
import { SERVICE_RETRIER } from "./lambda.ts";
import type { SourceMapEntry, StateBuilder } from "./states.ts";

/**
 * waitForCondition as the SDK runs it: a check (a fragment that also asks the wait strategy),
 * then either the result or a Wait of the strategy's delay and the next check. The delay is
 * read at run time, so any strategy, custom ones included, behaves exactly.
 */
export function emitCondition(b: StateBuilder, name: string, block: Block, op: Extract<DurableOp, { kind: "waitForCondition" }>, target: Local | undefined, next: string, entry: Partial<SourceMapEntry>): void {
  const check = b.namer.name(`${b.operationName(op)}-check`);
  const decide = b.namer.name(`${b.operationName(op)}-done`);
  const pause = b.namer.name(`${b.operationName(op)}-wait`);
  b.states.set(name, {
    Type: "Pass",
    Comment: `${b.comment(op.call)} waitForCondition`,
    Assign: { [op.attempt.id]: 1, [op.state.id]: { [UNDEFINED_MARKER_KEY]: true } },
    Next: check,
  });
  b.locate(name, op.call, entry, block);
  const tail = `...(await $d.poll(${op.check.piece.text}, ${op.config.piece.text}, ${op.attempt.id} === 1 ? (${op.config.piece.text}).initialState : ${op.state.id}))`;
  const fragment = b.fragment(check, [], [op.check.piece, op.config.piece, b.readsOf([op.attempt, op.state])], [], tail);
  const task = b.task(block, fragment, [], decide, op.call, "step");
  const payload = (task.Arguments as { Payload: Record<string, unknown> }).Payload;
  payload[EventField.attempt] = expression(`$${op.attempt.id}`);
  task.Assign = { [op.state.id]: expression(`$states.result.Payload.${PollField.state}`), [op.attempt.id]: expression(`$${op.attempt.id} + 1`) };
  task.Retry = [SERVICE_RETRIER];
  b.states.set(check, task);
  b.locate(check, op.call, { fragment: fragment.id, pollOf: name });
  const done: Record<string, unknown> = { Condition: expression(`$not($states.input.${PollField.continue})`), Next: next };
  if (target) done.Assign = { [target.id]: expression(`$states.input.${PollField.state}`) };
  b.states.set(decide, { Type: "Choice", Comment: b.comment(op.call), Choices: [done], Default: pause });
  b.states.set(pause, { Type: "Wait", Comment: b.comment(op.call), Seconds: expression(`$states.input.${PollField.delay}`), Next: check });
}
