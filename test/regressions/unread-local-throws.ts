// Found by the fuzzer: npm run fuzz -- --seed 106 --replay 178 (shrunk to path 178:0:1:2:5:4:5:5:5:5:5:5:6:6:6:6:6:6:6:6:7:6:6:6:6:6:6:6:6:6:6:4:4:4:4:4:4:0:3:3:3:3).
// Status: fixed (an unread local's guard is kept: compiler/transform/assign.ts).
// divergence at error.errorType: SDK "TypeError" vs compiled "StepError" (3 difference(s))
// signature: divergence error.errorType
//
//               SDK                                                      | compiled
//   status      FAILED                                                   | FAILED
//   result      -                                                        | -
// ! error       TypeError: Cannot read properties of undefined (reading… | StepError: fatal s0 attempt 1  <- first difference
//   operations                                                           |
// !   1         -                                                        | step "s0" FAILED attempts=1
// 3 difference(s)
import { withDurableExecution, JitterStrategy, createRetryStrategy, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string; express: boolean; region: string; bonus: number; customer: string }

class MigrationError extends Error {
  code: number;
  constructor(message: string, code: number) {
    super(message);
    this.name = "MigrationError";
    this.code = code;
  }
}

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  if (event.express) {
  } else {
    const count: string = `${event.items.length}`;
    let kept0: unknown = "nothing";
    try {
      if (trail.includes("a")) throw new MigrationError(state.last, (event.n + 1));
    } catch (e1) {
      kept0 = e1;
      trail.push(e1 instanceof MigrationError ? `migration ${(e1 as MigrationError).code}` : "not-migration");
    } finally {
      await context.step("s0", async (stepCtx) => {
        if (stepCtx.attempt <= 1) throw new Error(`fatal s0 attempt ${stepCtx.attempt}`);
        return event.n;
      }, { retryStrategy: createRetryStrategy({ maxAttempts: 1, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) });
    }
    const seen2: unknown = kept0;
    trail.push(seen2 instanceof MigrationError ? `migration ${(seen2 as MigrationError).code} ${(seen2 as MigrationError).name} ${(seen2 as MigrationError).message}` : seen2 instanceof Error ? `error ${(seen2 as Error).name} ${(seen2 as Error).message}` : typeof seen2 === "object" && seen2 !== null ? `object ${JSON.stringify(seen2)}` : `value ${String(seen2)}`);
  }
  return { trail, state };
});
