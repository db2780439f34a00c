import type { ElkExtendedEdge, ElkLabel, ElkNode } from "elkjs/lib/elk-api.js";
import { shorten, type EdgeKind, type GraphGroup, type GraphNode, type MachineGraph } from "./graph.ts";

/**
 * Where things go in the SVG, computed by ELK's layered algorithm (elkjs): states as boxes, a
 * Parallel or Map state as a box that contains one frame per branch (or its item processor), which
 * contains that branch's states; edges routed orthogonally around the boxes, their labels placed
 * by ELK so that they overprint neither each other nor a box. All coordinates are absolute.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PlacedState extends Box {
  id: string;
  name: string;
  type: string;
  source?: string;
  /** The lines written in the box, already shortened to fit it. */
  title: string;
  detail: string;
  /** Parallel and Map states: the box frames their branches, the text sits in its header. */
  container: boolean;
  /** The id of the frame (branch) it is in, if any. */
  frame?: string;
}
export interface PlacedFrame extends Box {
  id: string;
  label: string;
  /** The Parallel/Map state that holds it: its id and name. */
  owner: string;
  ownerName: string;
}
export interface PlacedMarker extends Box {
  kind: "start" | "end";
}
export interface PlacedEdge {
  kind: EdgeKind;
  from: string;
  to: string;
  /** The full label (a tooltip) and what is drawn of it, in `labelBox`. */
  label?: string;
  labelText?: string;
  labelBox?: Box;
  points: Array<{ x: number; y: number }>;
}
export interface Layout {
  width: number;
  height: number;
  title: string;
  states: PlacedState[];
  frames: PlacedFrame[];
  markers: PlacedMarker[];
  edges: PlacedEdge[];
}

/** Text sizes, and an upper bound of how wide Helvetica/Arial draws a character at each. */
export const FONT = { name: 12, detail: 10, label: 10, title: 14, charWidth: 0.62 };
const STATE_HEIGHT = 46;
const HEADER = 42; // room for a container state's name and type above its frames
const FRAME_HEADER = 20;
const MARKER = { width: 56, height: 24 };
const MARGIN = 16;
const TITLE_BAND = 30;
const PAD_X = 12;
const LABEL_PAD = 3;

export function textWidth(text: string, size: number): number {
  return Math.ceil([...text].length * size * FONT.charWidth);
}

/** For the machine and for every Parallel/Map state and frame: each is laid out on its own, inside out. */
const LAYERED: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.json.shapeCoords": "ROOT",
  "elk.json.edgeCoords": "ROOT",
  // Branches left to right and states in the order of the definition, where crossings allow.
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
  "elk.spacing.nodeNode": "28",
  "elk.layered.spacing.nodeNodeBetweenLayers": "36",
  "elk.spacing.edgeNode": "16",
  "elk.layered.spacing.edgeNodeBetweenLayers": "16",
  "elk.spacing.edgeEdge": "10",
  "elk.spacing.edgeLabel": "4",
  "elk.spacing.labelNode": "6",
};

/** ELK's bundled build (no web worker), loaded on first use: only `graph --format svg` pays for it. */
let elk: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;
function engine() {
  // A CommonJS module: its exports are the import's default, and they carry `default` themselves.
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => new m.default.default());
  return elk;
}

/**
 * How nodes are placed in their layers. Network simplex gives straighter paths and a narrower
 * drawing, but its cost grows fast and it recurses as deep as the graph is long (a stack overflow
 * past a few hundred states): it is for machines of up to FINE_LIMIT states. Larger ones, or one
 * on which the first try fails, get the linear-time Brandes-Köpf placement and longest-path layers.
 */
const FINE_LIMIT = 60;
const FINE = { "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX" };
const CHEAP = { "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF" };
const CHEAPEST = { ...CHEAP, "elk.layered.layering.strategy": "LONGEST_PATH" };

export async function layout(graph: MachineGraph): Promise<Layout> {
  const elk = await engine();
  const tries = countStates(graph.root) <= FINE_LIMIT ? [FINE, CHEAPEST] : [CHEAP, CHEAPEST];
  for (const [i, placement] of tries.entries()) {
    const built = buildElk(graph, placement);
    try {
      return readBack(graph, await elk.layout(built.root), built);
    } catch (err) {
      if (i === tries.length - 1) throw new Error(`the layout engine could not draw this machine: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error("unreachable");
}

const countStates = (group: GraphGroup): number => group.nodes.reduce((n, s) => n + 1 + s.groups.reduce((k, g) => k + countStates(g), 0), 0);

interface Built {
  root: ElkNode;
  states: Map<string, GraphNode>;
  frames: Map<string, { group: GraphGroup; owner: string }>;
  edges: Map<string, { kind: EdgeKind; from: string; to: string; label?: string; labelText?: string }>;
}

function buildElk(graph: MachineGraph, placement: Record<string, string>): Built {
  const options = { ...LAYERED, ...placement };
  const built: Built = { root: { id: "root", layoutOptions: { ...options, "elk.padding": `[top=${MARGIN + TITLE_BAND},left=${MARGIN},bottom=${MARGIN},right=${MARGIN}]` } }, states: new Map(), frames: new Map(), edges: new Map() };
  const edge = (from: string, to: string, kind: EdgeKind, label?: string): ElkExtendedEdge => {
    const id = `e${built.edges.size + 1}`;
    const labelText = label !== undefined ? shorten(label, 40) : undefined;
    built.edges.set(id, { kind, from, to, label, labelText });
    const labels: ElkLabel[] = labelText !== undefined ? [{ id: `${id}_label`, text: labelText, layoutOptions: { "elk.edgeLabels.inline": "true" }, width: textWidth(labelText, FONT.label) + 2 * LABEL_PAD, height: FONT.label + 2 * LABEL_PAD }] : [];
    return { id, sources: [from], targets: [to], labels };
  };
  const groupContents = (group: GraphGroup) => ({
    children: flowOrder(group).map(stateNode),
    edges: group.edges.map((e) => edge(e.from, e.to, e.kind, e.label)),
  });
  const stateNode = (node: GraphNode): ElkNode => {
    built.states.set(node.id, node);
    const { title, detail } = stateText(node);
    const width = Math.max(120, textWidth(title, FONT.name), textWidth(detail, FONT.detail)) + 2 * PAD_X;
    if (node.groups.length === 0) return { id: node.id, width, height: STATE_HEIGHT };
    return {
      id: node.id,
      // Its frames are not connected: one layer, side by side, in the order of the branches.
      layoutOptions: { ...containerOptions(options, HEADER, width, HEADER + 20), "elk.separateConnectedComponents": "false" },
      children: node.groups.map((group): ElkNode => {
        built.frames.set(group.id, { group, owner: node.id });
        return { id: group.id, layoutOptions: { "elk.alignment": "TOP", ...containerOptions(options, FRAME_HEADER, textWidth(group.label, FONT.label) + 2 * PAD_X, FRAME_HEADER + 20) }, ...groupContents(group) };
      }),
    };
  };

  const { children, edges } = groupContents(graph.root);
  const start = { id: "start_", width: MARKER.width, height: MARKER.height };
  const end = { id: "finish_", width: MARKER.width, height: MARKER.height };
  built.root.children = [start, ...children, end];
  built.root.edges = [
    ...(graph.root.startAt ? [edge(start.id, graph.root.startAt, "next")] : []),
    ...edges,
    ...graph.root.ends.map((id) => edge(id, end.id, "next")),
  ];
  return built;
}

/**
 * The group's states in reverse postorder of a walk from its start (then of walks from any state
 * nothing reaches): every edge points forward in this order except the way back of a loop. ELK
 * keeps the order where it can and breaks cycles by it, so a loop's way back is the upward edge.
 * Successors are walked last first, so that the first Choice rule comes first.
 */
function flowOrder(group: GraphGroup): GraphNode[] {
  const byId = new Map(group.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const post: GraphNode[] = [];
  const visit = (id: string) => {
    if (seen.has(id) || !byId.has(id)) return;
    seen.add(id);
    for (const e of group.edges.filter((e) => e.from === id).reverse()) visit(e.to);
    post.push(byId.get(id)!);
  };
  const order: GraphNode[] = [];
  for (const id of [group.startAt, ...group.nodes.map((n) => n.id)]) {
    if (id === undefined || seen.has(id)) continue;
    post.length = 0;
    visit(id);
    order.push(...post.reverse());
  }
  return order;
}

function containerOptions(options: Record<string, string>, top: number, minWidth: number, minHeight: number) {
  return {
    ...options,
    "elk.padding": `[top=${top},left=12,bottom=12,right=12]`,
    "elk.nodeSize.constraints": "MINIMUM_SIZE",
    "elk.nodeSize.minimum": `(${minWidth},${minHeight})`,
  };
}

function stateText(node: GraphNode) {
  return { title: shorten(node.name, 30), detail: shorten(node.source ? `${node.type} · ${node.source}` : node.type, 40) };
}

function readBack(graph: MachineGraph, root: ElkNode, built: Built): Layout {
  const out: Layout = { width: 0, height: 0, title: shorten(graph.title, 90), states: [], frames: [], markers: [], edges: [] };
  const box = (n: ElkNode): Box => ({ x: round(n.x), y: round(n.y), width: round(n.width), height: round(n.height) });
  // Pre-order, so a container comes before what it contains: the SVG draws them in this order.
  const visit = (n: ElkNode, parent?: string) => {
    const state = built.states.get(n.id);
    const frame = built.frames.get(n.id);
    if (state) {
      const inFrame = parent !== undefined && built.frames.has(parent) ? { frame: parent } : {};
      out.states.push({ id: state.id, name: state.name, type: state.type, ...(state.source !== undefined && { source: state.source }), ...stateText(state), container: state.groups.length > 0, ...inFrame, ...box(n) });
    } else if (frame) out.frames.push({ id: n.id, label: frame.group.label, owner: frame.owner, ownerName: built.states.get(frame.owner)!.name, ...box(n) });
    else if (n.id === "start_" || n.id === "finish_") out.markers.push({ kind: n.id === "start_" ? "start" : "end", ...box(n) });
    for (const child of n.children ?? []) visit(child, n.id);
    for (const e of n.edges ?? []) {
      const meta = built.edges.get(e.id)!;
      const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map((p) => ({ x: round(p.x), y: round(p.y) }));
      const label = e.labels?.[0];
      out.edges.push({ ...meta, ...(label && { labelBox: box(label as ElkNode) }), points });
    }
  };
  visit(root);
  out.width = Math.max(round(root.width), textWidth(out.title, FONT.title) + 2 * MARGIN);
  out.height = round(root.height);
  return out;
}

/** ELK works in fractions of a pixel; a tenth is plenty and keeps the SVG short. */
function round(value: number | undefined): number {
  return Math.round((value ?? 0) * 10) / 10;
}
