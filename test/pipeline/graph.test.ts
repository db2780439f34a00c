import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { machineGraph } from "../../compiler/emit/graph.ts";
import { toMermaid } from "../../compiler/emit/graph-mermaid.ts";
import { toSvg } from "../../compiler/emit/graph-svg.ts";
import { cli } from "./cli.ts";
import { problems, readSvg } from "./svg-geometry.ts";

const task = (next?: string, extra: object = {}) => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", ...(next ? { Next: next } : { End: true }), ...extra });

/** Names chosen to break naive Mermaid/SVG output: quotes, brackets, arrows, pipes, keywords. */
const NASTY = ['say "hi" <b>', "end", "x --> y | z", "subgraph", "a#b&c{d}[e]`f`"];

const fanOut = {
  Comment: "fan-out",
  QueryLanguage: "JSONata",
  StartAt: NASTY[0],
  States: {
    [NASTY[0]!]: task(NASTY[1]),
    [NASTY[1]!]: {
      Type: "Choice",
      Choices: [{ Condition: '{% $states.input.n > 1 and $states.input.s = "x|y" %}', Next: NASTY[2] }],
      Default: "Both",
    },
    [NASTY[2]!]: task(NASTY[2], { Next: NASTY[2], End: undefined }), // a self-loop
    Both: {
      Type: "Parallel",
      Branches: [
        { StartAt: "Left", States: { Left: task("Left 2"), "Left 2": task() } },
        { StartAt: NASTY[3], States: { [NASTY[3]!]: task() } },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      Next: "Each",
    },
    Each: { Type: "Map", ItemProcessor: { StartAt: NASTY[4], States: { [NASTY[4]!]: task() } }, Next: "Done" },
    Done: { Type: "Succeed" },
    Failed: { Type: "Fail", Error: "Oops" },
  },
};

describe("graph: Mermaid", () => {
  const text = toMermaid(machineGraph(fanOut));
  const lines = text.trim().split("\n").map((l) => l.trim());

  it("uses generated ids only, and quotes every label with entity codes for syntax characters", () => {
    expect(lines[0]).toBe("flowchart TD");
    for (const line of lines.filter((l) => !l.startsWith("%%") && !l.startsWith("classDef") && !l.startsWith("class "))) {
      // outside quoted labels only ids, arrows and keywords
      const bare = line.replace(/"[^"]*"/g, '""');
      expect(bare, line).toMatch(/^(flowchart TD|direction TB|end|subgraph \w+\[""\]|\w+(\(\(""\)\)|\[""\]|\{""\}|\(""\)|\(\[""\]\)|\[\/""\/\])|\w+ (-->|-\.->)(\|""\|)? \w+)$/);
    }
    expect(text).toContain("say #34;hi#34; #60;b#62;");
    expect(text).toContain("x --#62; y #124; z");
    expect(text).toContain("a#35;b#38;c#123;d#125;#91;e#93;#96;f#96;");
  });

  it("labels Choice edges by condition and default, dashes Catch edges, draws Parallel/Map as subgraphs", () => {
    expect(text).toMatch(/s\d+ -->\|"\$states\.input\.n #62; 1 and \$states\.input\.s = #34;x#124;y#34;"\| s\d+/);
    expect(text).toMatch(/s\d+ -->\|"default"\| s\d+/);
    expect(text).toMatch(/s\d+ -\.->\|"catch States\.ALL"\| s\d+/);
    expect(text).toContain('subgraph s5["Parallel: Both"]');
    expect(text).toMatch(/subgraph g\d+\["branch 1"\]/);
    expect(text).toMatch(/subgraph g\d+\["branch 2"\]/);
    expect(text).toContain('subgraph s6["Map: Each"]');
    expect(text).toMatch(/subgraph g\d+\["each item"\]/);
    const opened = lines.filter((l) => l.startsWith("subgraph")).length;
    expect(lines.filter((l) => l === "end").length).toBe(opened);
  });

  it("a compiled handler's states carry their source lines, in labels and comments", () => {
    const r = cli(["graph", "test/fixtures/compiler/errors.ts"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/%% s\d+ = reserve at errors\.ts:15/);
    expect(r.stdout).toContain("reserve<br/><small>Task · errors.ts:15</small>");
    expect(r.stdout).toMatch(/-\.->\|"catch States\.ALL"\|/);
  });

  it("an .asl.json finds the source-map.json that build wrote next to it", () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "d2s-graph-"));
    expect(cli(["build", "test/fixtures/compiler/errors.ts", "--out", out]).code).toBe(0);
    const r = cli(["graph", path.join(out, "handler", "state-machine.asl.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/%% s\d+ = reserve at errors\.ts:15/);
  });
});

describe("graph: SVG", () => {
  const graph = machineGraph(fanOut);

  it("is one self-contained SVG with a <g data-state data-type> and a <rect class=box> per state, names escaped", async () => {
    const svg = await toSvg(graph);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('data-state="say &quot;hi&quot; &lt;b&gt;" data-type="Task"');
    expect(svg).not.toMatch(/<b>/);
    const states = svg.match(/<g class="state[^"]*" data-state="[^"]*" data-type="[^"]*"[^>]*><rect class="box" /g)!.length;
    expect(states).toBe(11); // 7 top-level + 3 branch states + 1 item state
    expect(svg.match(/<g class="state container" data-state="(Both|Each)"/g)).toHaveLength(2);
    expect(svg).toMatch(/<g class="edge catch" data-from="Both" data-to="Failed"><path [^>]*stroke-dasharray/);
    expect(svg.match(/<g class="frame" /g)).toHaveLength(3);
    expect(svg.match(/data-owner="Both"/g)).toHaveLength(2);
  });

  it("draws a Parallel's branches side by side in their order, each state below the one before it", async () => {
    const d = readSvg(await toSvg(graph));
    expect(problems(d)).toEqual([]);
    const frames = d.frames.filter((f) => f.owner === "Both");
    expect(frames[0]!.x + frames[0]!.width).toBeLessThan(frames[1]!.x);
    expect(frames[0]!.y).toBe(frames[1]!.y);
    const state = (name: string) => d.states.find((s) => s.name === name)!;
    expect(state("Left").y).toBeLessThan(state("Left 2").y);
    expect(state("Both").y).toBeGreaterThan(state(NASTY[1]!).y);
    expect(state("Each").y).toBeGreaterThan(state("Both").y + state("Both").height);
    expect(state("Done").y).toBeGreaterThan(state("Each").y + state("Each").height);
    const selfLoop = d.edges.find((e) => e.from === NASTY[2] && e.to === NASTY[2])!;
    expect(selfLoop.points.length).toBeGreaterThan(2);
  });

  it("durable2sfn graph --format svg --out FILE writes the file; bad flags are usage errors", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "d2s-graph-")), "steps.svg");
    const r = cli(["graph", "test/fixtures/compiler/steps.ts", "--format", "svg", "--out", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const written = readFileSync(file, "utf8");
    expect(written).toContain('data-state="fetch-user" data-type="Task" data-source="steps.ts:8"');
    expect(problems(readSvg(written))).toEqual([]);
    expect(cli(["graph", "test/fixtures/compiler/steps.ts", "--format", "png"]).code).toBe(2);
    expect(cli(["graph", "test/fixtures/asl/nope.asl.json"]).code).toBe(2);
  });
});
