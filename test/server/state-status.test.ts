import { describe, expect, it } from "vitest";
import { Execution, runMachine } from "../../runtime/emulator/index.ts";
import { stateRuns } from "../../runtime/server/console/state-status.ts";
import { LAMBDA, LAMBDA_TOKEN, machine } from "../emulator/helpers.ts";

const statuses = (runs: ReturnType<typeof stateRuns>) => Object.fromEntries(runs.map((r) => [r.name, r.status]));

describe("console: each state's status from the history", () => {
  it("succeeded, caught (with its error), retried then succeeded, and states not reached are absent", async () => {
    let calls = 0;
    const definition = machine({
      Flaky: { Type: "Task", Resource: LAMBDA, Arguments: { FunctionName: "flaky" }, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1 }], Next: "Breaks" },
      Breaks: { Type: "Task", Resource: LAMBDA, Arguments: { FunctionName: "breaks" }, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }], Next: "Never" },
      Recover: { Type: "Pass", End: true },
      Never: { Type: "Pass", End: true },
    });
    const result = await runMachine(definition, {
      lambda: (name) => {
        if (name === "flaky" && calls++ === 0) throw Object.assign(new Error("once"), { name: "Glitch" });
        if (name === "breaks") throw Object.assign(new Error("out of stock"), { name: "OutOfStock" });
        return { ok: true };
      },
    });
    const runs = stateRuns(result.history, result.status);
    expect(statuses(runs)).toEqual({ Flaky: "succeeded", Breaks: "caught", Recover: "succeeded" });
    const breaks = runs.find((r) => r.name === "Breaks")!;
    expect(breaks).toMatchObject({ type: "Task", error: "OutOfStock", visits: 1 });
    expect(JSON.parse(breaks.output!)).toMatchObject({ Error: "OutOfStock" });
    expect(runs.find((r) => r.name === "Flaky")!.error).toBeUndefined();
  });

  it("a failing state and a Fail state are failed once the execution fails", async () => {
    const failed = await runMachine(machine({ Call: { Type: "Task", Resource: LAMBDA, Arguments: { FunctionName: "f" }, End: true } }), {
      lambda: () => {
        throw Object.assign(new Error("no"), { name: "Nope" });
      },
    });
    expect(stateRuns(failed.history, failed.status)).toMatchObject([{ name: "Call", status: "failed", error: "Nope" }]);
    const fail = await runMachine(machine({ First: { Type: "Pass", Next: "Stop" }, Stop: { Type: "Fail", Error: "Bad", Cause: "bad input" } }));
    expect(statuses(stateRuns(fail.history, fail.status))).toEqual({ First: "succeeded", Stop: "failed" });
  });

  it("a task waiting for its token is waiting while the execution runs, aborted once it is stopped; Parallel branches keep apart", async () => {
    const definition = machine({
      Both: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Ask", States: { Ask: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "ask", Payload: { t: "{% $states.context.Task.Token %}" } }, End: true } } },
          { StartAt: "Quick", States: { Quick: { Type: "Pass", End: true } } },
        ],
        End: true,
      },
    });
    let live: ReturnType<typeof stateRuns> = [];
    // As on serve: the call that hands the token on does not return until the answer comes, which holds the clock.
    const exec: Execution = new Execution(definition, {
      lambda: () => {
        setTimeout(() => {
          live = stateRuns(liveHistory(exec), "RUNNING", new Set(["Ask"]));
          exec.stop();
        }, 20);
        return new Promise(() => {});
      },
    });
    const result = await exec.start();
    expect(statuses(live)).toEqual({ Both: "running", Ask: "waiting", Quick: "succeeded" });
    expect(statuses(stateRuns(result.history, result.status))).toEqual({ Both: "aborted", Ask: "aborted", Quick: "succeeded" });
  });
});

/** The events so far of a running execution (serve reads them the same way). */
function liveHistory(exec: Execution) {
  return (exec as unknown as { runtime: { history: { events: Parameters<typeof stateRuns>[0] } } }).runtime.history.events;
}
