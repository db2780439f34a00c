import type { Node } from "ts-morph";
import type { Block } from "../lower/cfg.ts";
import type { ChoiceState, TaskState } from "./asl-types.ts";
import { expression } from "./jsonata.ts";
import type { EmittedStates, SourceMapEntry } from "./operation-site.ts";
import type { StateNamer } from "./names.ts";

/**
 * Puts a callback's Task under `name`. A heartbeat only the run knows may be absent at run time
 * (`heartbeatTimeout: event.beat ? { seconds: event.beat } : undefined`, options chosen by a
 * condition, or a heartbeat not shorter than the timeout: options.ts timeoutsCode): the SDK then
 * waits with no heartbeat. A HeartbeatSeconds expression cannot leave the field out (an undefined
 * value fails the state), so a Choice under `name` picks the Task with HeartbeatSeconds or the
 * same Task without it; both stand for the one callback in the source map.
 */
export function putCallbackTask(out: EmittedStates, namer: StateNamer, name: string, task: TaskState, at: Node, entry: Partial<SourceMapEntry>, block?: Block, computedHeartbeat = false): void {
  const heartbeat = typeof task.HeartbeatSeconds === "string" ? /^\{%(.*)%\}$/s.exec(task.HeartbeatSeconds)?.[1]?.trim() : undefined;
  if (!computedHeartbeat || heartbeat === undefined) {
    out.put(name, task);
    out.locate(name, at, entry, block);
    return;
  }
  const withHeartbeat = namer.name(`${name}-with-heartbeat`);
  const withoutHeartbeat = namer.name(`${name}-without-heartbeat`);
  const choice: ChoiceState = { Type: "Choice", Comment: `${task.Comment ?? ""} heartbeat or not`.trim(), Choices: [{ Condition: expression(`$exists(${heartbeat})`), Next: withHeartbeat }], Default: withoutHeartbeat };
  out.put(name, choice);
  out.locate(name, at);
  const { HeartbeatSeconds: _dropped, ...without } = task;
  for (const [taskName, state] of [[withHeartbeat, task], [withoutHeartbeat, without]] as const) {
    out.put(taskName, state);
    out.locate(taskName, at, entry, block);
  }
}
