import { describe, expect, it } from "vitest";
import { Execution } from "../../runtime/emulator/index.ts";
import { graph, lambdaTask, LAMBDA_TOKEN, machine, run } from "./helpers.ts";

describe("Virtual clock", () => {
  it("time does not advance while a handler promise is in flight (a slow handler is never timed out)", async () => {
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [
          graph({ Slow: lambdaTask("slow") }),
          graph({ W: { Type: "Wait", Seconds: 5, Next: "Mark" }, Mark: lambdaTask("mark") }),
        ],
        End: true,
      },
    });
    const order: string[] = [];
    const r = await run(def, {
      lambda: async (fn) => {
        if (fn === "slow") await new Promise((resolve) => setTimeout(resolve, 30));
        order.push(fn);
        return fn;
      },
    });
    expect(order).toEqual(["slow", "mark"]);
    expect(r.stats.virtualSeconds).toBe(5);
  });

  it("the earliest timer fires first when every branch is blocked", async () => {
    const seen: string[] = [];
    const def = machine({
      Par: {
        Type: "Parallel",
        // State names are unique across the whole machine, branches included.
        Branches: [30, 10, 20].map((s) => graph({ [`W${s}`]: { Type: "Wait", Seconds: s, Next: `T${s}` }, [`T${s}`]: lambdaTask(`after${s}`) })),
        End: true,
      },
    });
    const r = await run(def, { lambda: (fn) => seen.push(fn) });
    expect(seen).toEqual(["after10", "after20", "after30"]);
    expect(r.stats.virtualSeconds).toBe(30);
  });

  it("a top-level TimeoutSeconds times the execution out (TIMED_OUT, States.Timeout)", async () => {
    const def = machine({ W: { Type: "Wait", Seconds: 100, End: true } }, { TimeoutSeconds: 60 });
    const r = await run(def);
    expect(r).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(r.stats.virtualSeconds).toBe(60);
  });

  it("runs are deterministic for a seed: same history, timestamps and tokens", async () => {
    const def = machine({
      T: {
        Type: "Task",
        Resource: LAMBDA_TOKEN,
        Arguments: { FunctionName: "f", Payload: { token: "{% $states.context.Task.Token %}", id: "{% $uuid() %}" } },
        TimeoutSeconds: 3,
        Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2, JitterStrategy: "FULL", IntervalSeconds: 5 }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "M" }],
        Next: "M",
      },
      M: { Type: "Map", Items: [1, 2, 3], ItemProcessor: graph({ R: { Type: "Pass", Output: "{% $random() %}", End: true } }), End: true },
    });
    const once = () => run(def, { seed: 99, lambda: () => null });
    const [a, b] = [await once(), await once()];
    expect(JSON.stringify(b.history)).toBe(JSON.stringify(a.history));
    expect(b.output).toEqual(a.output);
    const other = await run(def, { seed: 100, lambda: () => null });
    expect(JSON.stringify(other.history)).not.toBe(JSON.stringify(a.history));
  });

  it("an Execution answers by token after start(), and result settles once", async () => {
    const exec = new Execution(machine({ T: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "f", Payload: {} }, End: true } }), {
      lambda: () => null,
      onTaskToken: (token) => queueMicrotask(() => exec.sendTaskSuccess(token, '"ok"')),
    });
    const first = exec.start();
    expect(exec.start()).toBe(first);
    expect((await first).output).toBe("ok");
  });

  it("more than 10,000 state transitions run in one execution", async () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { i: 0 }, Next: "Loop" },
      Loop: { Type: "Pass", Assign: { i: "{% $i + 1 %}" }, Next: "Check" },
      Check: { Type: "Choice", Choices: [{ Condition: "{% $i < 5001 %}", Next: "Loop" }], Default: "Done" },
      Done: { Type: "Succeed", Output: "{% $i %}" },
    });
    const r = await run(def);
    expect(r.output).toBe(5001);
    expect(r.stats.stateTransitions).toBe(10_004);
  });
});
