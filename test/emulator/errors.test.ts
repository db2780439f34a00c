import { describe, expect, it } from "vitest";
import { eventTypes, lambdaTask, LAMBDA_TOKEN, machine, namedError, run, secondsBetween } from "./helpers.ts";

/** A lambda that throws `name` for the first `failures` calls, then returns "ok". */
function failing(failures: number, name = "Flaky") {
  let calls = 0;
  const lambda = () => {
    calls++;
    if (calls <= failures) throw namedError(name, `attempt ${calls}`);
    return "ok";
  };
  return { lambda, calls: () => calls };
}

const scheduledIds = (r: Awaited<ReturnType<typeof run>>) => r.history.filter((e) => e.type === "TaskScheduled").map((e) => e.id);

describe("Retry", () => {
  it("Retry: defaults are IntervalSeconds 1, MaxAttempts 3, BackoffRate 2 (waits of 1, 2, 4 s)", async () => {
    const f = failing(3);
    const r = await run(machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["Flaky"] }] }) }), { lambda: f.lambda });
    expect(r.status).toBe("SUCCEEDED");
    expect(f.calls()).toBe(4);
    const ids = scheduledIds(r);
    expect([secondsBetween(r, ids[0]!, ids[1]!), secondsBetween(r, ids[1]!, ids[2]!), secondsBetween(r, ids[2]!, ids[3]!)]).toEqual([1, 2, 4]);
    expect(r.stats.virtualSeconds).toBe(7);
  });

  it("Retry: after MaxAttempts retries the error goes on (to Catch or the execution)", async () => {
    const f = failing(10);
    const r = await run(machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 2 }] }) }), { lambda: f.lambda });
    expect(f.calls()).toBe(3);
    expect(r.error).toBe("Flaky");
  });

  it("Retry: MaxAttempts 0 never retries", async () => {
    const f = failing(1);
    const r = await run(machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 0 }] }) }), { lambda: f.lambda });
    expect(f.calls()).toBe(1);
    expect(r.status).toBe("FAILED");
  });

  it("Retry: IntervalSeconds and BackoffRate set the waits; MaxDelaySeconds caps them", async () => {
    const f = failing(4);
    const retry = [{ ErrorEquals: ["Flaky"], IntervalSeconds: 3, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 20 }];
    const r = await run(machine({ T: lambdaTask("f", { Retry: retry }) }), { lambda: f.lambda });
    const ids = scheduledIds(r);
    const waits = ids.slice(1).map((id, i) => secondsBetween(r, ids[i]!, id));
    expect(waits).toEqual([3, 9, 20, 20]);
  });

  it("Retry: retriers are tried in order and the first whose ErrorEquals matches is used", async () => {
    const f = failing(1, "B");
    const retry = [
      { ErrorEquals: ["A"], IntervalSeconds: 50 },
      { ErrorEquals: ["B"], IntervalSeconds: 7 },
      { ErrorEquals: ["States.ALL"], IntervalSeconds: 90 },
    ];
    const r = await run(machine({ T: lambdaTask("f", { Retry: retry }) }), { lambda: f.lambda });
    expect(r.stats.virtualSeconds).toBe(7);
  });

  it("Retry: an exhausted retrier does not fall through to a later retrier", async () => {
    const f = failing(5, "B");
    const retry = [
      { ErrorEquals: ["B"], MaxAttempts: 1 },
      { ErrorEquals: ["States.ALL"], MaxAttempts: 5 },
    ];
    const r = await run(machine({ T: lambdaTask("f", { Retry: retry }) }), { lambda: f.lambda });
    expect(f.calls()).toBe(2);
    expect(r.error).toBe("B");
  });

  it("Retry: each retry counts as a state transition and RetryCount grows", async () => {
    const counts: number[] = [];
    const f = failing(2);
    const r = await run(machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["States.ALL"] }] }, "{% $states.context.State.RetryCount %}") }), {
      lambda: (fn, payload, info) => {
        counts.push(payload as number);
        expect(info.retryCount).toBe(payload);
        return f.lambda();
      },
    });
    expect(counts).toEqual([0, 1, 2]);
    expect(r.stats.stateTransitions).toBe(3);
  });

  it("Retry: retries do not re-enter the state (one TaskStateEntered, one TaskScheduled per attempt)", async () => {
    const f = failing(1);
    const r = await run(machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["Flaky"] }] }) }), { lambda: f.lambda });
    expect(eventTypes(r)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("JitterStrategy FULL: each wait is random between 0 and the backoff, the same for the same seed", async () => {
    const retry = [{ ErrorEquals: ["Flaky"], IntervalSeconds: 10, MaxAttempts: 3, JitterStrategy: "FULL" }];
    const waitsFor = async (seed: number) => {
      const r = await run(machine({ T: lambdaTask("f", { Retry: retry }) }), { lambda: failing(3).lambda, seed });
      const ids = scheduledIds(r);
      return ids.slice(1).map((id, i) => secondsBetween(r, ids[i]!, id));
    };
    const first = await waitsFor(42);
    expect(await waitsFor(42)).toEqual(first);
    expect(await waitsFor(43)).not.toEqual(first);
    [10, 20, 40].forEach((cap, i) => {
      expect(first[i]).toBeGreaterThanOrEqual(0);
      expect(first[i]).toBeLessThanOrEqual(cap);
    });
    expect(first).not.toEqual([10, 20, 40]);
  });

  it("Retry applies to Parallel and Map states too (the whole state runs again)", async () => {
    const f = failing(1);
    const def = machine({
      Par: {
        Type: "Parallel",
        Branches: [{ StartAt: "T", States: { T: lambdaTask("f") } }],
        Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 5 }],
        End: true,
      },
    });
    const r = await run(def, { lambda: f.lambda });
    expect(r.output).toEqual(["ok"]);
    expect(r.stats.virtualSeconds).toBe(5);
    expect(eventTypes(r).filter((t) => t === "ParallelStateStarted")).toHaveLength(2);
  });
});

describe("Catch", () => {
  it("Catch: without Output the error object {Error, Cause} is the output", async () => {
    const def = machine({
      T: lambdaTask("f", { Catch: [{ ErrorEquals: ["Flaky"], Next: "Done" }], Next: "Done" }),
      Done: { Type: "Pass", End: true },
    });
    const r = await run(def, { lambda: failing(1).lambda });
    const out = r.output as { Error: string; Cause: string };
    expect(out.Error).toBe("Flaky");
    expect(JSON.parse(out.Cause)).toMatchObject({ errorType: "Flaky", errorMessage: "attempt 1" });
  });

  it("Catch: Output and Assign see $states.errorOutput and $states.input; the state's own Assign is not evaluated", async () => {
    const def = machine({
      T: lambdaTask("f", {
        Assign: { fromState: "yes" },
        Catch: [{ ErrorEquals: ["States.ALL"], Assign: { err: "{% $states.errorOutput.Error %}" }, Output: { in: "{% $states.input %}" }, Next: "Done" }],
        Next: "Done",
      }),
      Done: { Type: "Pass", Output: { err: "{% $err %}", in: "{% $states.input.in %}", state: "{% $exists($fromState) %}" }, End: true },
    });
    const r = await run(def, { input: { k: 1 }, lambda: failing(1).lambda });
    expect(r.error).toBe("States.QueryEvaluationError"); // $fromState was never assigned
    const withoutRead = structuredClone(def) as any;
    withoutRead.States.Done.Output = { err: "{% $err %}", in: "{% $states.input.in %}" };
    expect((await run(withoutRead, { input: { k: 1 }, lambda: failing(1).lambda })).output).toEqual({ err: "Flaky", in: { k: 1 } });
  });

  it("Catch: Retry runs first; Catch applies when retries are exhausted", async () => {
    const f = failing(10);
    const def = machine({
      T: lambdaTask("f", { Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ["Flaky"], Next: "Done" }], Next: "Done" }),
      Done: { Type: "Pass", Output: "caught", End: true },
    });
    const r = await run(def, { lambda: f.lambda });
    expect(f.calls()).toBe(3);
    expect(r.output).toBe("caught");
  });

  it("States.TaskFailed matches any error of a Task except States.Timeout", async () => {
    const def = (Catch: object[]) =>
      machine({
        T: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "f", Payload: {} }, TimeoutSeconds: 5, Catch, Next: "Done" },
        Done: { Type: "Pass", Output: "{% $states.input.Error %}", End: true },
      });
    const custom = await run(def([{ ErrorEquals: ["States.TaskFailed"], Next: "Done" }]), { lambda: () => { throw namedError("Custom"); } });
    expect(custom.output).toBe("Custom");
    const timedOut = await run(def([{ ErrorEquals: ["States.TaskFailed"], Next: "Done" }]), { lambda: () => null });
    expect(timedOut.error).toBe("States.Timeout");
  });

  it("States.ALL does not catch States.DataLimitExceeded", async () => {
    const def = machine({
      T: lambdaTask("f", { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }], Next: "Done" }),
      Done: { Type: "Pass", End: true },
    });
    const r = await run(def, { lambda: () => "x".repeat(300 * 1024) });
    expect(r.error).toBe("States.DataLimitExceeded");
  });

  it("States.ALL does not catch States.Runtime", async () => {
    const def = machine({
      T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Arguments: {}, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }], Next: "Done" },
      Done: { Type: "Pass", End: true },
    });
    const r = await run(def); // no handler for the resource: an emulator runtime error
    expect(r.error).toBe("States.Runtime");
  });
});

describe("Timeouts and heartbeats", () => {
  const tokenTask = (extra: Record<string, unknown>) =>
    machine({ T: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "f", Payload: {} }, End: true, ...extra } });

  it("TimeoutSeconds: an unanswered task fails with States.Timeout after that many virtual seconds", async () => {
    const r = await run(tokenTask({ TimeoutSeconds: 300 }), { lambda: () => null });
    expect(r.error).toBe("States.Timeout");
    expect(r.stats.virtualSeconds).toBe(300);
    expect(eventTypes(r)).toContain("TaskTimedOut");
  });

  it("TimeoutSeconds may be JSONata", async () => {
    const r = await run(tokenTask({ TimeoutSeconds: "{% $states.input.t %}" }), { input: { t: 12 }, lambda: () => null });
    expect(r.stats.virtualSeconds).toBe(12);
  });

  it("HeartbeatSeconds: without SendTaskHeartbeat the task fails with States.HeartbeatTimeout", async () => {
    const r = await run(tokenTask({ TimeoutSeconds: 600, HeartbeatSeconds: 60 }), { lambda: () => null });
    expect(r.error).toBe("States.HeartbeatTimeout");
    expect(r.stats.virtualSeconds).toBe(60);
  });

  it("HeartbeatSeconds may be JSONata; a value not below TimeoutSeconds fails with States.QueryEvaluationError", async () => {
    const r = await run(tokenTask({ TimeoutSeconds: 60, HeartbeatSeconds: "{% 60 %}" }), { lambda: () => null });
    expect(r.error).toBe("States.QueryEvaluationError");
  });

  it("States.Timeout can be retried and caught like other errors", async () => {
    const def = machine({
      T: {
        Type: "Task",
        Resource: LAMBDA_TOKEN,
        Arguments: { FunctionName: "f", Payload: {} },
        TimeoutSeconds: 10,
        Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 1, IntervalSeconds: 1 }],
        Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Done" }],
        Next: "Done",
      },
      Done: { Type: "Pass", Output: "{% $states.input.Error %}", End: true },
    });
    const r = await run(def, { lambda: () => null });
    expect(r.output).toBe("States.Timeout");
    expect(r.stats.virtualSeconds).toBe(21);
  });
});

describe("Quotas", () => {
  it("a task result over 256 KiB fails with States.DataLimitExceeded", async () => {
    const r = await run(machine({ T: lambdaTask("f") }), { lambda: () => "y".repeat(256 * 1024) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });

  it("a state output over 256 KiB fails with States.DataLimitExceeded", async () => {
    const r = await run(machine({ P: { Type: "Pass", Output: "{% $join($map($range(1, 27000), function($i) { '0123456789' }), '') %}", End: true } }));
    expect(r.error).toBe("States.DataLimitExceeded");
  });

  it("the 25,000-event history limit fails the execution; event 25,000 is ExecutionFailed", async () => {
    const def = machine({
      Loop: { Type: "Pass", Next: "Again" },
      Again: { Type: "Choice", Choices: [{ Condition: "{% true %}", Next: "Loop" }], Default: "Done" },
      Done: { Type: "Succeed" },
    });
    const r = await run(def);
    expect(r.status).toBe("FAILED");
    expect(r.history).toHaveLength(25_000);
    expect(r.history.at(-1)!.type).toBe("ExecutionFailed");
    expect(r.stats.historyEvents).toBe(25_000);
  });
});
