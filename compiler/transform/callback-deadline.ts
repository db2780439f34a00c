import { Node } from "ts-morph";
import { CALLBACK_TIMED_OUT } from "../../protocol/index.ts";
import type { Local } from "../analyze/locals.ts";
import type { ChoiceState, PassState, TaskState } from "./asl-types.ts";
import { callbackTimeoutRecord } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { operationName } from "./names.ts";
import { hasDeadlines } from "./callback-timeouts.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";

/**
 * A createCallback awaited after other durable operations (docs/internals.md, "createCallback"):
 * under the SDK its timeouts count from createCallback, so its Task at the await waits only for
 * what is left of them, and a deadline already past times it out at once, as the SDK's timer
 * would have. The marker state where createCallback runs records the time it was created.
 */
export function emitCallbackCreated(site: OperationSite<OpOf<"createCallback">>, created: Local): void {
  // Through the relay (callback-relay.ts) the id is ours, made here as the SDK makes its own.
  const id = site.op.relayId ? { [site.op.relayId.id]: expression("$uuid()") } : {};
  const state: PassState = { Type: "Pass", Comment: site.tools.comment(site.op.call), Assign: { [created.id]: expression("$millis()"), ...id }, Next: site.next };
  site.out.put(site.name, state);
  site.out.locate(site.name, site.op.call, { ...site.entry, callbackKey: created.id }, site.block);
}


/**
 * Makes `task` wait for what is left of its timeouts, and returns the name to put it under: the
 * site's own when it has none, else a fresh one after a Choice (at the site's name) that times
 * the callback out when a deadline has already passed.
 */
export function withDeadlines(site: OperationSite<OpOf<"createCallback">>, task: TaskState, created: Local): string {
  const elapsed = `($millis() - $${created.id})`;
  const deadlines: { seconds: number; message: string }[] = [];
  if (typeof task.TimeoutSeconds === "number") deadlines.push({ seconds: task.TimeoutSeconds, message: CALLBACK_TIMED_OUT });
  if (typeof task.HeartbeatSeconds === "number") deadlines.push({ seconds: task.HeartbeatSeconds, message: `${CALLBACK_TIMED_OUT} on heartbeat` });
  if (deadlines.length === 0) return site.name;
  const taskName = site.namer.name(operationName({ ...site.op, created: undefined }));
  // Whole seconds, rounded up: never before the SDK's deadline.
  const left = (seconds: number) => expression(`$ceil((${seconds * 1000} - ${elapsed}) / 1000)`);
  if (typeof task.TimeoutSeconds === "number") task.TimeoutSeconds = left(task.TimeoutSeconds);
  if (typeof task.HeartbeatSeconds === "number") task.HeartbeatSeconds = left(task.HeartbeatSeconds);
  // The earlier deadline fires first; on a tie the timeout (the SDK sets its timer first).
  deadlines.sort((a, b) => a.seconds - b.seconds);
  const choiceName = site.name;
  const choice: ChoiceState = { Type: "Choice", Comment: site.tools.comment(site.op.call), Choices: [], Default: taskName };
  site.out.put(choiceName, choice);
  site.out.locate(choiceName, site.op.call, { callbackOf: { key: created.id } });
  for (const { seconds, message } of deadlines) {
    const name = site.namer.name(`${site.name}-timed-out`);
    choice.Choices.push({ Condition: expression(`${elapsed} >= ${seconds * 1000}`), Next: name });
    const pass: PassState = { Type: "Pass", Comment: site.tools.comment(site.op.call), Assign: { [site.route.record]: callbackTimeoutRecord(message) }, Next: site.route.next() };
    site.out.put(name, pass);
    site.out.locate(name, site.op.call, { callbackOf: { key: created.id, timedOut: true } });
  }
  return taskName;
}
