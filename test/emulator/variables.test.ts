import { describe, expect, it } from "vitest";
import { graph, machine, run } from "./helpers.ts";

describe("Assign", () => {
  it("Assign: all expressions see variable values from state entry (a swap works)", async () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { x: 1, y: 2 }, Next: "Swap" },
      Swap: { Type: "Pass", Assign: { x: "{% $y %}", y: "{% $x %}" }, Output: { xAtEntry: "{% $x %}" }, Next: "Read" },
      Read: { Type: "Pass", Output: { x: "{% $x %}", y: "{% $y %}", before: "{% $states.input.xAtEntry %}" }, End: true },
    });
    expect((await run(def)).output).toEqual({ x: 2, y: 1, before: 1 });
  });

  it("Assign: new values are visible from the next state on, not in the same state's Output", async () => {
    const def = machine({
      A: { Type: "Pass", Assign: { v: "new" }, Output: { sameState: "{% $exists($v) ? 'seen' : 'not yet' %}" }, Next: "B" },
      B: { Type: "Pass", Output: "{% $v %}", End: true },
    });
    // Reading an unassigned variable fails even inside $exists: the first state must fail.
    expect((await run(def)).error).toBe("States.QueryEvaluationError");
    const ok = machine({
      A: { Type: "Pass", Assign: { v: "new" }, Next: "B" },
      B: { Type: "Pass", Output: "{% $v %}", End: true },
    });
    expect((await run(ok)).output).toBe("new");
  });

  it("Assign: values may be any JSON, at any depth with expressions", async () => {
    const def = machine({
      A: { Type: "Pass", Assign: { obj: { list: [1, "{% 1 + 1 %}"], s: "lit" }, n: null }, Next: "B" },
      B: { Type: "Pass", Output: ["{% $obj %}", "{% $n %}"], End: true },
    });
    expect((await run(def)).output).toEqual([{ list: [1, 2], s: "lit" }, null]);
  });

  it("Assign: the exited event lists the assigned variables as JSON", async () => {
    const r = await run(machine({ A: { Type: "Pass", Assign: { a: { b: 1 } }, End: true } }));
    const exited = r.history.find((e) => e.type === "PassStateExited") as Record<string, any>;
    expect(exited.stateExitedEventDetails.assignedVariables).toEqual({ a: '{"b":1}' });
  });
});

describe("Variable scopes", () => {
  it("Parallel branches read outer variables", async () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { outer: 5 }, Next: "Par" },
      Par: { Type: "Parallel", Branches: [graph({ B: { Type: "Pass", Output: "{% $outer + 1 %}", End: true } })], End: true },
    });
    expect((await run(def)).output).toEqual([6]);
  });

  it("Map iterations have their own variables and cannot see each other's", async () => {
    const def = machine({
      M: {
        Type: "Map",
        Items: [1, 2, 3],
        ItemProcessor: graph({
          Keep: { Type: "Pass", Assign: { mine: "{% $states.input %}" }, Next: "Wait" },
          Wait: { Type: "Wait", Seconds: "{% 4 - $mine %}", Next: "Read" },
          Read: { Type: "Pass", Output: "{% $mine * 10 %}", End: true },
        }),
        End: true,
      },
    });
    expect((await run(def)).output).toEqual([10, 20, 30]);
  });

  it("an inner scope's variables go out of scope when the iteration ends", async () => {
    const def = machine({
      M: { Type: "Map", Items: [1], ItemProcessor: graph({ In: { Type: "Pass", Assign: { inner: 1 }, End: true } }), Next: "After" },
      After: { Type: "Pass", Output: "{% $inner %}", End: true },
    });
    const r = await run(def);
    expect(r.error).toBe("States.QueryEvaluationError");
  });

  it("data leaves an inner scope through Output; a Catcher on the Map may assign outer variables", async () => {
    const def = machine({
      M: {
        Type: "Map",
        Items: [1],
        ItemProcessor: graph({ F: { Type: "Fail", Error: "E" } }),
        Catch: [{ ErrorEquals: ["States.ALL"], Assign: { failed: "{% $states.errorOutput.Error %}" }, Next: "After" }],
        End: true,
      },
      After: { Type: "Pass", Output: "{% $failed %}", End: true },
    });
    expect((await run(def)).output).toBe("E");
  });
});
