import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { machineGraph, type SourceLines } from "../../compiler/emit/graph.ts";
import { toSvg } from "../../compiler/emit/graph-svg.ts";
import { cli } from "./cli.ts";
import { problems, readSvg } from "./svg-geometry.ts";

/** The samples as `build` writes them (the machine and its source map), a hand-written machine, and one with nested Parallel/Map states. */
const MACHINES: Array<{ name: string; file: string; map?: string }> = [
  ...["ai-agent", "approval", "data-pipeline", "fan-out", "order-saga"].map((s) => ({ name: s, file: `samples/${s}/golden/handler/state-machine.asl.json`, map: `samples/${s}/golden/handler/source-map.json` })),
  { name: "order-flow", file: "samples/machines/order-flow.asl.json" },
  { name: "graph-nested", file: "test/fixtures/asl/graph-nested.asl.json" },
];
const NESTED = "test/fixtures/asl/graph-nested.asl.json";

type AslState = { Type: string; Next?: string; End?: boolean; Default?: string; Choices?: unknown[]; Catch?: unknown[]; Branches?: Definition[]; ItemProcessor?: Definition };
type Definition = { States?: Record<string, AslState> };
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const stateNames = (d: Definition): string[] =>
  Object.entries(d.States ?? {}).flatMap(([name, s]) => [name, ...(s.Branches ?? []).flatMap(stateNames), ...(s.ItemProcessor ? stateNames(s.ItemProcessor) : [])]);
/** One arrow per transition of the definition, plus one from the start marker and one to the end marker from each state that ends the machine. */
const arrowCount = (d: Definition, top = true): number =>
  Object.values(d.States ?? {}).reduce((n, s) => {
    const own = (s.Choices?.length ?? 0) + (s.Default ? 1 : 0) + (s.Next ? 1 : 0) + (s.Catch?.length ?? 0);
    const ends = top && (s.End || s.Type === "Succeed" || s.Type === "Fail") ? 1 : 0;
    const inner = [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : [])].reduce((k, b) => k + arrowCount(b, false), 0);
    return n + own + ends + inner;
  }, top ? 1 : 0);

async function draw(file: string, map?: string): Promise<string> {
  const sourceLines = map ? (readJson(map) as { states: SourceLines }).states : undefined;
  return toSvg(machineGraph(readJson(file), sourceLines));
}

describe("graph: the SVG's layout", () => {
  for (const m of MACHINES) {
    it(`${m.name}: every state drawn once; no overlapping boxes, frames hold their states, no edge through a box, no label over anything`, async () => {
      const d = readSvg(await draw(m.file, m.map));
      expect(d.states.map((s) => s.name).sort()).toEqual(stateNames(readJson(m.file)).sort());
      expect(d.markers).toHaveLength(2);
      expect(d.edges).toHaveLength(arrowCount(readJson(m.file)));
      expect(problems(d)).toEqual([]);
    });
  }

  it("a machine past the size network simplex is kept for is drawn by the cheaper placement, as cleanly", async () => {
    const states: Record<string, AslState & Record<string, unknown>> = { Failed: { Type: "Fail", Error: "Oops" } };
    for (let i = 0; i < 70; i++) {
      const next = i === 69 ? { End: true } : { Next: `step ${i + 1}` };
      states[`step ${i}`] =
        i % 10 === 5 && i < 68
          ? { Type: "Choice", Choices: [{ Condition: `{% $states.input.n > ${i} %}`, Next: `step ${i + 2}` }], Default: `step ${i + 1}` }
          : { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", ...next, ...(i % 10 === 0 && { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }] }) };
    }
    const definition = { StartAt: "step 0", States: states };
    const d = readSvg(await toSvg(machineGraph(definition as Parameters<typeof machineGraph>[0])));
    expect(d.states).toHaveLength(71);
    expect(d.edges).toHaveLength(arrowCount(definition));
    expect(problems(d)).toEqual([]);
  });

  it("nests frames as the machine nests branches; a loop's way back is the only edge that goes up", async () => {
    const d = readSvg(await draw(NESTED));
    const frameOf = (name: string) => d.states.find((s) => s.name === name)!.frame;
    const ownerOf = (frame: string | undefined) => d.frames.find((f) => f.id === frame)?.owner;
    expect(ownerOf(frameOf("Price"))).toBe("Each order");
    expect(ownerOf(frameOf("Each order"))).toBe("Fan");
    expect(ownerOf(frameOf("Right again"))).toBe("Nested");
    expect(ownerOf(frameOf("Nested"))).toBe("Fan");
    expect(frameOf("Fan")).toBeUndefined();
    expect(d.frames.filter((f) => f.owner === "Fan")).toHaveLength(3);
    const upward = d.edges.filter((e) => e.points.at(-1)!.y < e.points[0]!.y).map((e) => `${e.from} -> ${e.to}`);
    expect(upward.sort()).toEqual(["Check price -> Price", "Route -> Load"]);
  });

  it("is deterministic: the same machine gives the same bytes, in this process and from the command", async () => {
    const first = await draw(NESTED);
    expect(await draw(NESTED)).toBe(first);
    const r = cli(["graph", NESTED, "--format", "svg"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(first);
  });

  it("the checks catch what they look for, in a drawing spoiled on purpose", async () => {
    const svg = await draw(NESTED);
    const lines = svg.split("\n");
    const line = (start: string) => lines.findIndex((l) => l.startsWith(start));
    const boxOf = (i: number) => lines[i]!.match(/<rect [^>]*x="([\d.]+)" y="([\d.]+)"/)!.slice(1).map(Number) as [number, number];
    const spoil = (i: number, x: number, y: number) => {
      const copy = [...lines];
      const [x0, y0] = boxOf(i);
      copy[i] = copy[i]!.replace(`x="${x0}" y="${y0}"`, `x="${x}" y="${y}"`);
      return problems(readSvg(copy.join("\n")));
    };
    const [loadX, loadY] = boxOf(line('<g class="state" data-state="Load"'));
    expect(spoil(line('<g class="state" data-state="Skip"'), loadX + 5, loadY + 5)).toContain("boxes overlap: Load and Skip");
    expect(spoil(line('<g class="state" data-state="Left"'), loadX, loadY).some((p) => p.startsWith("Left is not inside its frame"))).toBe(true);
    const labelled = line('<g class="edge default" data-from="Route" data-to="Fan"');
    const withLabelOnLoad = lines.map((l, i) => (i === labelled ? l.replace(/(<g class="label">.*?<rect )x="[\d.]+" y="[\d.]+"/, `$1x="${loadX + 2}" y="${loadY + 2}"`) : l));
    expect(problems(readSvg(withLabelOnLoad.join("\n"))).some((p) => p.endsWith("overlaps Load"))).toBe(true);
    const [skipX, skipY] = boxOf(line('<g class="state" data-state="Skip"'));
    const throughSkip = lines.map((l) => (l.includes('data-from="Load" data-to="Route"') ? l.replace(/d="[^"]*"/, `d="M${skipX - 20},${skipY + 10} L${skipX + 200},${skipY + 10}"`) : l));
    expect(problems(readSvg(throughSkip.join("\n"))).some((p) => p.endsWith("(next) runs through Skip"))).toBe(true);
  });
});
