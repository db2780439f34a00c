import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer, type ServeEvent } from "../../runtime/server/index.ts";
import { localClients } from "../pipeline/aws.ts";

/** A `serve` for one test file that also collects what it tells (executions started, tokens waiting) and logs. */
export function useServerWithEvents() {
  const context = { events: [] as ServeEvent[], logs: [] as string[] } as {
    server: RunningServer;
    clients: ReturnType<typeof localClients>;
    events: ServeEvent[];
    logs: string[];
  };
  beforeAll(async () => {
    context.server = await startServer({ onEvent: (event) => context.events.push(event), log: (line) => context.logs.push(line) });
    context.clients = localClients(context.server.url);
  });
  afterAll(async () => {
    context.clients.sfn.destroy();
    context.clients.lambda.destroy();
    await context.server.close();
  });
  return context;
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
