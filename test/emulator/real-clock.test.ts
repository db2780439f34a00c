import { describe, expect, it } from "vitest";
import { graph, lambdaTask, machine, run } from "./helpers.ts";

describe("Real clock (RunOptions.clock: \"real\")", () => {
  it("a Wait takes its real time, branches wake in the order they are due, and startTime gives way to the wall clock", async () => {
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [2, 1].map((s) => graph({ [`W${s}`]: { Type: "Wait", Seconds: s, Next: `T${s}` }, [`T${s}`]: lambdaTask(`after${s}`) })),
        End: true,
      },
    });
    const seen: string[] = [];
    const before = Date.now();
    const r = await run(def, { clock: "real", startTime: new Date(0), lambda: (fn) => seen.push(fn) });
    expect(r.status).toBe("SUCCEEDED");
    expect(seen).toEqual(["after1", "after2"]);
    expect(Date.now() - before).toBeGreaterThanOrEqual(2000);
    expect(r.history[0]!.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(r.stats.virtualSeconds).toBeGreaterThanOrEqual(2);
  });

  it("a slow handler is timed out by the execution's TimeoutSeconds while it still works", async () => {
    const def = { ...machine({ Slow: lambdaTask("slow") }), TimeoutSeconds: 1 };
    const r = await run(def, { clock: "real", lambda: () => new Promise((resolve) => setTimeout(resolve, 3000)) });
    expect(r).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    // it ended at its limit, before the handler returned
    expect(r.history.map((e) => e.type)).toEqual(["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "ExecutionTimedOut"]);
  });
});
