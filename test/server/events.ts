import type { ServeEvent } from "../../runtime/server/index.ts";
import { useLocalServer } from "../pipeline/aws.ts";

/** A `serve` for one test file that also collects what it tells (executions started, tokens waiting) and logs. */
export function useServerWithEvents() {
  const events: ServeEvent[] = [];
  const logs: string[] = [];
  const local = useLocalServer({ onEvent: (event) => events.push(event), log: (line) => logs.push(line) });
  return Object.assign(local, { events, logs });
}

/** The token a task of `executionArn` waits on, once serve has told of it. */
export async function waitingToken(events: ServeEvent[], executionArn: string, nth = 0): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const waiting = events.filter((e) => e.type === "waiting" && e.executionArn === executionArn);
    const event = waiting[nth];
    if (event && event.type === "waiting") return event.taskToken;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no task of ${executionArn} waits for a token`);
}
