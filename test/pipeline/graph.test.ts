import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { machineGraph } from "../../compiler/emit/graph.ts";
import { layout, NODE } from "../../compiler/emit/graph-layout.ts";
import { toMermaid } from "../../compiler/emit/graph-mermaid.ts";
import { toSvg } from "../../compiler/emit/graph-svg.ts";
import { cli } from "./cli.ts";

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
  const svg = toSvg(graph);

  it("is one small self-contained SVG with a box per state, names escaped", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('data-state="say &quot;hi&quot; &lt;b&gt;"');
    expect(svg).not.toMatch(/<b>/);
    const states = svg.match(/<g class="state"/g)!.length;
    expect(states).toBe(11); // 7 top-level + 3 branch states + 1 item state
    expect(svg).toMatch(/<g class="edge catch"><path [^>]*stroke-dasharray/);
    expect(svg.match(/<g class="group">/g)!.length).toBe(3);
    expect(svg.length).toBeLessThan(20_000);
  });

  it("lays out in rows: no two states overlap, the successor of a Parallel is below its branches, loops do not push rows", () => {
    const l = layout(graph);
    const spots = new Set(l.nodes.map((n) => `${n.x},${n.y}`));
    expect(spots.size).toBe(l.nodes.length);
    for (const n of l.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x + NODE.width).toBeLessThanOrEqual(l.width);
      expect(n.y + NODE.height).toBeLessThanOrEqual(l.height);
    }
    const y = (name: string) => l.nodes.find((n) => n.name === name)!.y;
    expect(y("Each")).toBeGreaterThan(y("Left 2"));
    expect(y("Left 2")).toBeGreaterThan(y("Left"));
    expect(y(NASTY[2]!)).toBe(y(NASTY[1]!) + NODE.height + NODE.gapY);
  });

  it("durable2sfn graph --format svg --out FILE writes the file; bad flags are usage errors", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "d2s-graph-")), "steps.svg");
    const r = cli(["graph", "test/fixtures/compiler/steps.ts", "--format", "svg", "--out", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const written = readFileSync(file, "utf8");
    expect(written).toContain('data-state="fetch-user" data-source="steps.ts:8"');
    expect(cli(["graph", "test/fixtures/compiler/steps.ts", "--format", "png"]).code).toBe(2);
    expect(cli(["graph", "test/fixtures/asl/nope.asl.json"]).code).toBe(2);
  });
});
