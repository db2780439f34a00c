import { EventField, PollField, UNDEFINED_MARKER_KEY } from "../../protocol/index.ts";
import type { ValueExpr } from "../lower/cfg.ts";
import type { ChoiceRule } from "./asl-types.ts";
import { expression } from "./jsonata.ts";
import { SERVICE_RETRIER } from "./lambda.ts";
import { operationName } from "./names.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { waitSecondsJsonata } from "./wait.ts";

/**
 * waitForCondition as the SDK runs it: a check (a fragment that also asks the wait strategy),
 * then either the result or a Wait of the strategy's delay and the next check. The delay is
 * read at run time, so any strategy, custom ones included, behaves exactly.
 */
export function emitCondition(site: OperationSite<OpOf<"waitForCondition">>): void {
  const { op, name, block, target, next, namer, out, tools } = site;
  const check = namer.name(`${operationName(op)}-check`);
  const decide = namer.name(`${operationName(op)}-done`);
  const pause = namer.name(`${operationName(op)}-wait`);
  out.put(name, {
    Type: "Pass",
    Comment: `${tools.comment(op.call)} waitForCondition`,
    Assign: { [op.attempt.id]: 1, [op.state.id]: { [UNDEFINED_MARKER_KEY]: true } },
    Next: check,
  });
  const computedName = op.name !== null && typeof op.name !== "string";
  // A computed name is what the history shows: in the Pass state's input when the code before
  // computed it, else in every check's payload (its locals do not change while it polls).
  if (computedName) site.entry.operation!.nameFrom = site.computed.name ? "input" : "payload";
  out.locate(name, op.call, site.entry, block);
  const tail = `...(await $d.poll(${op.check.piece.text}, ${op.config.piece.text}, ${op.attempt.id} === 1 ? (${op.config.piece.text}).initialState : ${op.state.id}))`;
  // The fragment reads the attempt and the state the previous check left.
  const counters = { text: "", reads: new Set([op.attempt, op.state]), writes: new Set<never>(), declares: new Set<never>() };
  const fragment = tools.fragment(check, [], [op.check.piece, op.config.piece, counters], [], tail);
  const task = tools.task(fragment, [], decide, op.call, "step");
  task.Arguments.Payload[EventField.attempt] = expression(`$${op.attempt.id}`);
  if (computedName && !site.computed.name) task.Arguments.Payload.name = expression(tools.jsonata(op.name as ValueExpr)!);
  task.Assign = { [op.state.id]: expression(`$states.result.Payload.${PollField.state}`), [op.attempt.id]: expression(`$${op.attempt.id} + 1`) };
  task.Retry = [SERVICE_RETRIER];
  out.put(check, task);
  out.locate(check, op.call, { fragment: fragment.id, pollOf: name });
  const done: ChoiceRule = { Condition: expression(`$not($states.input.${PollField.continue})`), Next: next };
  if (target) done.Assign = { [target.id]: expression(`$states.input.${PollField.state}`) };
  out.put(decide, { Type: "Choice", Comment: tools.comment(op.call), Choices: [done], Default: pause });
  out.put(pause, { Type: "Wait", Comment: tools.comment(op.call), Seconds: expression(waitSecondsJsonata(`$states.input.${PollField.delay}`)), Next: check });
}
