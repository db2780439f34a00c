import path from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { optimize } from "../../compiler/optimize/index.ts";
import { substitute } from "../../compiler/optimize/jsonata-text.ts";
import type { StateGraph } from "../../compiler/transform/operation-site.ts";
import { runCompiled } from "../../harness/index.ts";
import { Execution } from "../../runtime/emulator/index.ts";

/** A graph as the transform hands it over, states written by hand. */
function graphOf(startAt: string, states: Record<string, unknown>): StateGraph {
  return { startAt, states: structuredClone(states) as StateGraph["states"], fragments: [], sourceMap: {} };
}

async function outcome(startAt: string, states: Record<string, unknown>, input: unknown) {
  const definition = { QueryLanguage: "JSONata", StartAt: startAt, States: states };
  const execution = new Execution(definition, { input });
  const result = await execution.start();
  return { status: result.status, output: result.output, error: result.error, transitions: result.stats.stateTransitions };
}

/** Runs the machine before and after optimizing: same status, output and error, and the transitions it saved. */
async function saved(startAt: string, states: Record<string, unknown>, input: unknown) {
  const graph = graphOf(startAt, states);
  optimize(graph);
  const before = await outcome(startAt, states, input);
  const after = await outcome(graph.startAt, graph.states, input);
  expect({ ...after, transitions: 0 }).toEqual({ ...before, transitions: 0 });
  return { saved: before.transitions - after.transitions, graph };
}

describe("optimize: folds keep the outcome and save transitions", () => {
  it("an Assign-only Pass joins the state before, reading what it read there (its input, the old values)", async () => {
    const states = {
      A: { Type: "Pass", Assign: { x: "{% $states.input.v %}" }, Output: "{% {'w': $states.input.v * 10} %}", Next: "P" },
      P: { Type: "Pass", Assign: { y: "{% $x + $states.input.w %}", x: "{% $x * 2 %}" }, Next: "Z" },
      Z: { Type: "Succeed", Output: "{% {'x': $x, 'y': $y, 'in': $states.input} %}" },
    };
    const { saved: n, graph } = await saved("A", states, { v: 3 });
    expect(n).toBe(2);
    expect(Object.keys(graph.states)).toEqual(["A"]);
  });

  it("the start Pass folds into the Task after it, also into its catchers", async () => {
    const states = {
      Start: { Type: "Pass", Assign: { event: "{% $states.input %}" }, Next: "T" },
      T: {
        Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "f", Payload: "{% $event %}" },
        Catch: [{ ErrorEquals: ["Boom"], Next: "Caught" }], Next: "Done",
      },
      Caught: { Type: "Pass", Output: "{% {'caught': $event} %}", End: true },
      Done: { Type: "Succeed" },
    };
    const graph = graphOf("Start", states);
    optimize(graph);
    expect(graph.startAt).toBe("T");
    expect((graph.states.T as { Catch: Array<{ Assign: unknown }> }).Catch[0]!.Assign).toEqual({ event: "{% $states.input %}" });
  });

  it("a return folds into the last state's Output with End, reading the old values of what that state assigns", async () => {
    const states = {
      A: { Type: "Pass", Assign: { n: "{% $states.input.n + 1 %}" }, Output: { k: 5 }, Next: "R" },
      R: { Type: "Succeed", Output: "{% {'n': $n, 'k': $states.input.k} %}" },
    };
    const { saved: n, graph } = await saved("A", states, { n: 1 });
    expect(n).toBe(1);
    expect(graph.states.A).toMatchObject({ End: true });
  });

  it("a Choice whose Default is a Choice takes its rules", async () => {
    const states = {
      C1: { Type: "Choice", Choices: [{ Condition: "{% $states.input.m = 'a' %}", Next: "A" }], Default: "C2" },
      C2: { Type: "Choice", Choices: [{ Condition: "{% $states.input.m = 'b' %}", Next: "B" }], Default: "D" },
      A: { Type: "Succeed", Output: "a" },
      B: { Type: "Succeed", Output: "b" },
      D: { Type: "Succeed", Output: "d" },
    };
    for (const m of ["a", "b", "z"]) expect((await saved("C1", states, { m })).saved).toBe(m === "a" ? 0 : 1);
  });

  it("nothing moves into a state whose Catch would catch the moved expression's error", async () => {
    const states = {
      T: {
        Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "f", Payload: {} },
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], Next: "P",
      },
      P: { Type: "Pass", Assign: { y: "{% $states.input.missing.deeper %}" }, Next: "R" },
      R: { Type: "Succeed", Output: "{% $states.input.missing %}" },
      Caught: { Type: "Succeed", Output: "caught" },
    };
    const graph = graphOf("T", states);
    optimize(graph);
    // The return may join the Pass (nothing catches there), but the Pass stays out of the Task.
    expect(Object.keys(graph.states).sort()).toEqual(["Caught", "P", "T"]);
    expect((graph.states.T as { Assign?: unknown }).Assign).toBeUndefined();
    await saved("T", states, {});
  });

  it("a Choice's Default into an Assign-only Pass becomes a last rule that always matches, assigning the values", async () => {
    const states = {
      C: { Type: "Choice", Choices: [{ Condition: "{% $states.input.m = 'a' %}", Next: "R" }], Default: "P" },
      P: { Type: "Pass", Assign: { seen: "{% 'default' %}" }, Next: "R" },
      R: { Type: "Succeed", Output: "{% $exists($seen) ? $seen : 'rule' %}" },
    };
    expect((await saved("C", states, { m: "a" })).saved).toBe(0);
    const { saved: n, graph } = await saved("C", states, { m: "b" });
    expect(n).toBe(1);
    expect(graph.states.P).toBeUndefined();
    expect((graph.states.C as { Choices: unknown[] }).Choices.at(-1)).toEqual({ Condition: "{% true %}", Assign: { seen: "{% 'default' %}" }, Next: "R" });
  });
});

describe("optimize: a Choice after a Choice rule", () => {
  // C1's first rule assigns n and hands on an Output that C2 reads; its second rule is tried only when the first fails.
  const states = {
    C1: {
      Type: "Choice",
      Choices: [
        { Condition: "{% $states.input.k = 'go' %}", Assign: { n: "{% $states.input.n + 1 %}" }, Output: "{% {'v': $states.input.n * 10} %}", Next: "C2" },
        { Condition: "{% $states.input.k = 'other' %}", Next: "Other" },
      ],
      Default: "Fallback",
    },
    C2: {
      Type: "Choice",
      Choices: [
        { Condition: "{% $n > 2 %}", Assign: { big: "{% $n + $states.input.v %}" }, Next: "Big" },
        { Condition: "{% $states.input.v = 10 %}", Next: "Ten" },
      ],
      Default: "Small",
    },
    Big: { Type: "Succeed", Output: "{% {'big': $big, 'n': $n, 'in': $states.input} %}" },
    Ten: { Type: "Succeed", Output: "{% {'ten': $n, 'in': $states.input} %}" },
    Small: { Type: "Succeed", Output: "{% {'small': $n, 'in': $states.input} %}" },
    Other: { Type: "Succeed", Output: "other" },
    Fallback: { Type: "Succeed", Output: "fallback" },
  };

  it("takes the second's rules, conditions joined by and, reading what the rule assigned and output", async () => {
    for (const [input, skipped] of [[{ k: "go", n: 5 }, 1], [{ k: "go", n: 1 }, 1], [{ k: "go", n: 0 }, 1], [{ k: "other", n: 9 }, 0], [{ k: "no", n: 9 }, 0]] as const) {
      const { saved: n, graph } = await saved("C1", states, input);
      expect(n).toBe(skipped);
      expect(graph.states.C2).toBeUndefined();
    }
  });

  it("keeps the second where its condition may not be a boolean (an and would cast it)", async () => {
    const loose = { ...states, C2: { ...states.C2, Choices: [{ Condition: "{% $states.input.missing < 3 %}", Next: "Big" }, states.C2.Choices[1]] } };
    const graph = graphOf("C1", loose);
    optimize(graph);
    expect(graph.states.C2).toBeDefined();
    const { status, error } = await outcome("C1", loose, { k: "go", n: 5 });
    expect({ status, error }).toEqual({ status: "FAILED", error: "States.QueryEvaluationError" });
    await saved("C1", loose, { k: "go", n: 5 });
  });

  it("keeps the second where the rule's values would be copied but differ on each evaluation", () => {
    const random = { ...states, C1: { ...states.C1, Choices: [{ ...states.C1.Choices[0], Assign: { n: "{% $random() %}" } }, states.C1.Choices[1]] } };
    const graph = graphOf("C1", random);
    optimize(graph);
    expect(graph.states.C2).toBeDefined();
  });
});

describe("optimize: assignments forward into a Choice", () => {
  it("the start Pass folds into the Choice after it: every rule and the Default assign its values", async () => {
    const states = {
      Start: { Type: "Pass", Assign: { event: "{% $states.input %}" }, Next: "C" },
      C: { Type: "Choice", Choices: [{ Condition: "{% $event.mode = 'full' %}", Output: "{% {'m': $event.mode} %}", Next: "Full" }], Default: "Other" },
      Full: { Type: "Succeed", Output: "{% {'in': $states.input, 'event': $event} %}" },
      Other: { Type: "Succeed", Output: "{% {'other': $event} %}" },
    };
    for (const mode of ["full", "lite"]) {
      const { saved: n, graph } = await saved("Start", states, { mode });
      expect(n).toBe(1);
      expect(graph.startAt).toBe("C");
    }
  });
});

describe("optimize: a child context's marker", () => {
  it("folds into the first state of a map item and of a parallel branch, which then opens the context in the trace", async () => {
    const file = path.join(import.meta.dirname, "../fixtures/compiler/fold-chains.ts");
    const plain = compileFile(file, { optimize: false }).handlers[0]!;
    const folded = compileFile(file).handlers[0]!;
    const opened = Object.values(folded.sourceMap.states).filter((e) => e.opens);
    // The map item, both parallel branches and the child context in the loop.
    expect(opened.map((e) => String(e.opens!.operation!.name)).sort()).toEqual(["left", "null", "right", "round-child"]);
    for (const scenario of JSON.parse(readFileSync(file.replace(/\.ts$/, ".scenarios.json"), "utf8")).slice(0, 3)) {
      const [a, b] = [await runCompiled(plain, scenario), await runCompiled(folded, scenario)];
      expect(b.trace).toEqual(a.trace);
      expect(b.result.stats.stateTransitions).toBeLessThan(a.result.stats.stateTransitions);
    }
  }, 300_000);
});

describe("optimize: expression rewriting", () => {
  it("replaces reads, never a string literal that spells one", () => {
    expect(substitute('{% $x & "$x" & $states.input.a %}', new Map([["x", "$y + 1"], ["states.input", "$states.result.Payload"]]))).toBe(
      '{% ($y + 1) & "$x" & ($states.result.Payload).a %}',
    );
  });

  it("refuses where the expression binds names of its own", () => {
    expect(substitute("{% $map($a, function($x) { $x + 1 }) %}", new Map([["x", "1"]]))).toBeUndefined();
    expect(substitute("{% ($x := 2; $x) %}", new Map([["x", "1"]]))).toBeUndefined();
  });
});

describe("optimize on a sample", () => {
  it("order-saga: fewer states and transitions, the same operations and results as the plain mapping", async () => {
    const file = path.join(import.meta.dirname, "../../samples/order-saga/handler.ts");
    const plain = compileFile(file, { optimize: false }).handlers[0]!;
    const folded = compileFile(file).handlers[0]!;
    expect(Object.keys(folded.definition.States).length).toBeLessThan(Object.keys(plain.definition.States).length);
    for (const name of ["happy-path", "ship-fails", "out-of-stock"]) {
      const scenario = JSON.parse(readFileSync(path.join(path.dirname(file), "scenarios", `${name}.json`), "utf8"));
      const [a, b] = [await runCompiled(plain, scenario), await runCompiled(folded, scenario)];
      expect(b.trace).toEqual(a.trace);
      expect(b.result.stats.stateTransitions).toBeLessThan(a.result.stats.stateTransitions);
      // Every state the source map names is a state of the machine.
      for (const state of Object.keys(folded.sourceMap.states)) expect(JSON.stringify(folded.definition)).toContain(`"${state}"`);
    }
  }, 300_000);
});

describe("optimize: rewriting around names an expression binds", () => {
  it("rewrites reads of other names, refuses where a replacement would be captured", () => {
    const body = "{% ($__v := $a; $exists($__v) ? $__v : $b) %}";
    expect(substitute(body, new Map([["a", "$c.d"]]))).toBe("{% ($__v := ($c.d); $exists($__v) ? $__v : $b) %}");
    expect(substitute(body, new Map([["a", "$__v + 1"]]))).toBeUndefined();
    expect(substitute("{% $x + ($x := 2; $x) %}", new Map([["x", "1"]]))).toBeUndefined();
  });
});
