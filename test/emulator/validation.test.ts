import { describe, expect, it } from "vitest";
import { DefinitionError, definitionProblems, validateDefinition } from "../../runtime/emulator/index.ts";
import { noteValid } from "../../asl/index.ts";
import { graph, lambdaTask, machine, run } from "./helpers.ts";

const problemsOf = (def: unknown) => definitionProblems(def);
const paths = (def: unknown) => problemsOf(def).map((p) => p.path);

describe("Validation before running", () => {
  it("a bad definition is refused with DefinitionError before anything runs", async () => {
    let called = false;
    const def = machine({ P: { Type: "Pass", Next: "Nowhere" } });
    await expect(run(def, { lambda: () => (called = true) })).rejects.toThrow(DefinitionError);
    expect(called).toBe(false);
  });

  it("a state, branch or item processor that is not an object is named, not a crash of asl-validator", () => {
    expect(problemsOf(machine({ A: null as never }))).toEqual([{ path: "$.States.A", message: "a state must be a JSON object" }]);
    const nested = machine({ P: { Type: "Parallel", Branches: [graph({ B: { Type: "Pass", End: true } }), 5], End: true }, M: { Type: "Map", ItemProcessor: { States: { X: [] } }, End: true } });
    expect(paths(nested)).toEqual(["$.States.P.Branches[1]", "$.States.M.ItemProcessor.States.X"]);
    expect(paths({ StartAt: "A" })).toEqual(["$.States"]);
  });

  it("asl-validator problems carry the JSON path of the bad field (JSONata syntax error)", () => {
    const def = machine({ P: { Type: "Pass", Output: { x: "{% $states.input. %}" }, End: true } });
    expect(paths(def)).toContain("$.States.P.Output.x");
  });

  it("keys of data named like structure (States, Next, Type) are data, as for Step Functions; problems under them keep their names", () => {
    const data = { States: { A: { Type: "Succeed", Next: "Nowhere" } }, StartAt: "A" };
    const def = machine({ P: { Type: "Pass", Assign: { States: 1, States_1: 2, Next: "{% 3 %}" }, Output: { nested: data, list: [data] }, End: true } });
    expect(problemsOf(def)).toEqual([]);
    expect(paths(machine({ P: { Type: "Pass", Assign: { Type: "{% $states.input. %}" }, End: true } }))).toEqual(["$.States.P.Assign.Type"]);
    expect(paths(machine({ P: { Type: "Pass", Output: { States: { Next: ["{% 1 + %}"] } }, End: true } }))).toEqual(["$.States.P.Output.States.Next[0]"]);
  });

  it("a definition noted valid (a kept build, validated when it was compiled) is not checked again; any other text is", () => {
    const kept = machine({ NotedValid: { Type: "Pass", Next: "Nowhere" } });
    const problems = problemsOf(kept);
    expect(problems.map((p) => p.message).join("\n")).toContain("Nowhere");
    noteValid(kept);
    expect(problemsOf(kept)).toEqual([]);
    const other = machine({ NotedValid: { Type: "Pass", Next: "Elsewhere" } });
    expect(problemsOf(other).map((p) => p.message).join("\n")).toContain("Elsewhere");
  });

  it("asl-validator is given a copy: the definition is not mutated", () => {
    const def = machine({ P: { Type: "Pass", End: true } });
    const before = JSON.stringify(def);
    validateDefinition(def);
    expect(JSON.stringify(def)).toBe(before);
  });

  it("JSONPath fields in a JSONata state are refused", () => {
    const def = machine({ P: { Type: "Pass", Parameters: { a: 1 }, End: true } });
    const found = paths(def);
    expect(found.length).toBeGreaterThan(0);
    for (const path of found) expect(path.startsWith("$.States.P")).toBe(true);
  });

  it("the machine must be JSONata at the top level (no JSONPath machine, no mixed query languages)", () => {
    expect(paths({ StartAt: "P", States: { P: { Type: "Pass", End: true } } })).toEqual(["$.QueryLanguage"]);
    const mixed = machine({ P: { Type: "Pass", QueryLanguage: "JSONPath", End: true } });
    expect(paths(mixed)).toEqual(["$.States.P.QueryLanguage"]);
  });

  it("States.ALL must be alone in ErrorEquals and in the last retrier or catcher", () => {
    const def = machine({
      T: lambdaTask("f", {
        Retry: [{ ErrorEquals: ["States.ALL", "Foo"] }],
        Catch: [
          { ErrorEquals: ["States.ALL"], Next: "Done" },
          { ErrorEquals: ["Foo"], Next: "Done" },
        ],
        Next: "Done",
      }),
      Done: { Type: "Succeed" },
    });
    expect(problemsOf(def)).toEqual([
      { path: "$.States.T.Retry[0].ErrorEquals", message: "States.ALL must appear alone in ErrorEquals" },
      { path: "$.States.T.Catch[0].ErrorEquals", message: "the entry with States.ALL must be the last one" },
    ]);
  });

  it("HeartbeatSeconds must be smaller than TimeoutSeconds", () => {
    const def = machine({ T: lambdaTask("f", { TimeoutSeconds: 10, HeartbeatSeconds: 10 }) });
    expect(paths(def)).toEqual(["$.States.T.HeartbeatSeconds"]);
  });

  it("retrier fields are range-checked (MaxAttempts >= 0, BackoffRate >= 1)", () => {
    const negative = machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["X"], MaxAttempts: -1 }] }) });
    expect(paths(negative)).toEqual(["$.States.T.Retry[0].MaxAttempts"]);
    const slow = machine({ T: lambdaTask("f", { Retry: [{ ErrorEquals: ["X"], BackoffRate: 0.5 }] }) });
    expect(paths(slow)).toEqual(["$.States.T.Retry[0].BackoffRate"]);
  });

  it("a definition over 1 MB is refused", () => {
    const def = machine({ P: { Type: "Pass", Output: { big: "x".repeat(1024 * 1024) }, End: true } });
    expect(problemsOf(def)[0]!.message).toContain("1 MB");
  });

  it("multi-line JSONata is accepted (our choice; asl-validator alone would reject it)", () => {
    expect(problemsOf(machine({ P: { Type: "Pass", Output: "{% (\n 1 + 1\n) %}", End: true } }))).toEqual([]);
  });

  it("Output may be any JSON value, as the AWS docs say (array, string, number, null)", () => {
    for (const Output of [[1, "{% 2 %}"], "text", 3, null, true]) {
      expect(problemsOf(machine({ P: { Type: "Pass", Output, End: true } }))).toEqual([]);
    }
  });

  it("features the emulator cannot run (ItemReader, the deprecated Iterator) are refused with their path", () => {
    const def = machine({
      M: { Type: "Map", ItemReader: { Resource: "arn:aws:states:::s3:getObject", Arguments: {} }, ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...graph({ P: { Type: "Pass", End: true } }) }, End: true },
    });
    expect(paths(def)).toContain("$.States.M.ItemReader");
  });
});

describe("Validation of variable scopes", () => {
  it("a Parallel branch cannot assign a variable of the outer scope", () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { total: 0 }, Next: "Par" },
      Par: { Type: "Parallel", Branches: [graph({ B: { Type: "Pass", Assign: { total: 1 }, End: true } })], End: true },
    });
    expect(paths(def)).toEqual(["$.States.Par.Branches[0].States.B.Assign.total"]);
  });

  it("a Map iteration cannot shadow an outer variable, even when the outer one is assigned later", () => {
    const def = machine({
      M: { Type: "Map", Items: [1], ItemProcessor: graph({ I: { Type: "Pass", Assign: { x: 1 }, End: true } }), Next: "After" },
      After: { Type: "Pass", Assign: { x: 2 }, End: true },
    });
    expect(paths(def)).toEqual(["$.States.M.ItemProcessor.States.I.Assign.x"]);
  });

  it("Choice rule and Catcher Assign blocks follow the same scope rules", () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { a: 0, b: 0 }, Next: "Par" },
      Par: {
        Type: "Parallel",
        Branches: [
          graph({
            C: { Type: "Choice", Choices: [{ Condition: "{% true %}", Assign: { a: 1 }, Next: "T" }] },
            T: lambdaTask("f", { Catch: [{ ErrorEquals: ["States.ALL"], Assign: { b: 1 }, Next: "E" }], Next: "E" }),
            E: { Type: "Succeed" },
          }),
        ],
        End: true,
      },
    });
    expect(paths(def)).toEqual([
      "$.States.Par.Branches[0].States.C.Choices[0].Assign.a",
      "$.States.Par.Branches[0].States.T.Catch[0].Assign.b",
    ]);
  });

  it("sibling branches may use the same names; the Parallel state's own Catcher may assign outer names", () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { outer: 0 }, Next: "Par" },
      Par: {
        Type: "Parallel",
        Branches: [graph({ A: { Type: "Pass", Assign: { local: 1 }, End: true } }), graph({ B: { Type: "Pass", Assign: { local: 2 }, End: true } })],
        Catch: [{ ErrorEquals: ["States.ALL"], Assign: { outer: 1 }, Next: "Done" }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
    });
    expect(problemsOf(def)).toEqual([]);
  });

  it("variable names: no sub-paths, not $states, at most 80 characters", () => {
    expect(paths(machine({ P: { Type: "Pass", Assign: { "x.y": 1 }, End: true } }))).toEqual(['$.States.P.Assign["x.y"]']);
    expect(paths(machine({ P: { Type: "Pass", Assign: { states: 1 }, End: true } }))).toEqual(["$.States.P.Assign.states"]);
    expect(paths(machine({ P: { Type: "Pass", Assign: { ["v".repeat(81)]: 1 }, End: true } }))).toHaveLength(1);
  });

  it("a distributed Map cannot read outer variables", () => {
    const def = machine({
      Init: { Type: "Pass", Assign: { outer: 1 }, Next: "M" },
      M: {
        Type: "Map",
        Items: [1],
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...graph({ P: { Type: "Pass", Output: "{% $outer %}", End: true } }) },
        End: true,
      },
    });
    expect(paths(def)).toEqual(["$.States.M.ItemProcessor.States.P.Output"]);
  });
});
