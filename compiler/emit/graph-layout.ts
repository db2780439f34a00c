import type { EdgeKind, GraphGroup, GraphNode, MachineGraph } from "./graph.ts";

/** Where things go in the SVG: nodes in rows (ranks), edges between them, boxes around groups. */
export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  boxes: Array<{ label: string; x: number; y: number; width: number; height: number }>;
}
export interface PlacedNode {
  id: string;
  name: string;
  type: string;
  source?: string;
  x: number;
  y: number;
}
export interface PlacedEdge {
  from: PlacedNode;
  to: PlacedNode;
  kind: EdgeKind | "branch" | "join";
  label?: string;
}

export const NODE = { width: 190, height: 46, gapX: 36, gapY: 56, margin: 24 };

interface FlatEdge {
  from: string;
  to: string;
  kind: PlacedEdge["kind"];
  label?: string;
}

/**
 * A small layered layout. The machine is flattened: a Parallel/Map state links to the start of
 * each branch ("branch" edges) and the ends of its branches link to where it goes next ("join"
 * edges), so the branches sit between the state and its successor. Each node's row is its longest
 * distance from the start over forward edges (back-edges of loops ignored, found by DFS); within a
 * row nodes keep the order in which the DFS met them; rows are centred.
 */
export function layout(graph: MachineGraph): Layout {
  const nodes = new Map<string, GraphNode | { id: string; name: string; type: string; groups: [] }>();
  const edges: FlatEdge[] = [];
  const start = { id: "start_", name: "start", type: "Start", groups: [] as [] };
  const end = { id: "finish_", name: "end", type: "End", groups: [] as [] };
  nodes.set(start.id, start);
  const boxes: Array<{ label: string; members: string[] }> = [];
  flatten(graph.root, nodes, edges, boxes, end.id);
  nodes.set(end.id, end);
  if (graph.root.startAt) edges.unshift({ from: start.id, to: graph.root.startAt, kind: "next" });

  const order = dfsOrder(start.id, edges, [...nodes.keys()]);
  const back = backEdges(start.id, edges);
  const rank = longestPathRanks(order, edges.filter((e) => !back.has(e)));
  const rows: string[][] = [];
  for (const id of order) (rows[rank.get(id) ?? 0] ??= []).push(id);

  const widest = Math.max(...rows.map((r) => r?.length ?? 0));
  const width = NODE.margin * 2 + widest * NODE.width + (widest - 1) * NODE.gapX;
  const placed = new Map<string, PlacedNode>();
  rows.forEach((row, r) => {
    const rowWidth = row.length * NODE.width + (row.length - 1) * NODE.gapX;
    row.forEach((id, i) => {
      const n = nodes.get(id)!;
      placed.set(id, {
        id,
        name: n.name,
        type: n.type,
        source: (n as GraphNode).source,
        x: (width - rowWidth) / 2 + i * (NODE.width + NODE.gapX),
        y: NODE.margin + 18 + r * (NODE.height + NODE.gapY),
      });
    });
  });
  const height = NODE.margin * 2 + 18 + rows.length * NODE.height + (rows.length - 1) * NODE.gapY;
  return {
    width,
    height,
    nodes: [...placed.values()],
    edges: edges.map((e) => ({ from: placed.get(e.from)!, to: placed.get(e.to)!, kind: e.kind, label: e.label })),
    boxes: boxes.filter((b) => b.members.length > 0).map((b) => boundingBox(b.label, b.members.map((id) => placed.get(id)!))),
  };
}

function flatten(group: GraphGroup, nodes: Map<string, unknown>, edges: FlatEdge[], boxes: Array<{ label: string; members: string[] }>, exit: string): void {
  const successorsOf = (id: string) => group.edges.filter((e) => e.from === id && e.kind !== "catch").map((e) => e.to);
  for (const node of group.nodes) {
    nodes.set(node.id, node);
    if (node.groups.length === 0) continue;
    // Where the branches lead: the state's own successors, or the group's exit when it ends.
    const after = successorsOf(node.id);
    const targets = after.length > 0 ? after : [exit];
    node.groups.forEach((branch) => {
      flatten(branch, nodes, edges, boxes, "");
      if (branch.startAt) edges.push({ from: node.id, to: branch.startAt, kind: "branch", label: branch.label });
      for (const id of branch.ends) for (const to of targets) if (to) edges.push({ from: id, to, kind: "join" });
      boxes.push({ label: `${node.name}: ${branch.label}`, members: collectIds(branch) });
    });
  }
  for (const e of group.edges) {
    const owner = group.nodes.find((n) => n.id === e.from)!;
    // A container's plain successors are reached through its branches (join edges); its Catch edges stay.
    if (owner.groups.length > 0 && e.kind !== "catch") continue;
    edges.push(e);
  }
  if (exit) for (const id of group.ends) if (!group.nodes.find((n) => n.id === id)?.groups.length) edges.push({ from: id, to: exit, kind: "next" });
}

function collectIds(group: GraphGroup): string[] {
  return group.nodes.flatMap((n) => [n.id, ...n.groups.flatMap(collectIds)]);
}

function dfsOrder(start: string, edges: FlatEdge[], all: string[]): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    order.push(id);
    for (const e of edges) if (e.from === id) visit(e.to);
  };
  visit(start);
  for (const id of all) visit(id); // states nothing reaches still get drawn
  return order;
}

function backEdges(start: string, edges: FlatEdge[]): Set<FlatEdge> {
  const back = new Set<FlatEdge>();
  const state = new Map<string, "open" | "done">();
  const visit = (id: string) => {
    state.set(id, "open");
    for (const e of edges) {
      if (e.from !== id) continue;
      if (state.get(e.to) === "open") back.add(e);
      else if (!state.has(e.to)) visit(e.to);
    }
    state.set(id, "done");
  };
  visit(start);
  return back;
}

/** Rank = longest path from the start over an acyclic edge set, relaxed in DFS order until stable. */
function longestPathRanks(order: string[], forward: FlatEdge[]): Map<string, number> {
  const rank = new Map(order.map((id) => [id, 0]));
  for (let changed = true, rounds = 0; changed && rounds < order.length + 1; rounds++) {
    changed = false;
    for (const e of forward) {
      const candidate = (rank.get(e.from) ?? 0) + 1;
      if (candidate > (rank.get(e.to) ?? 0)) {
        rank.set(e.to, candidate);
        changed = true;
      }
    }
  }
  return rank;
}

function boundingBox(label: string, members: PlacedNode[]) {
  const pad = 10;
  const xs = members.map((n) => n.x);
  const ys = members.map((n) => n.y);
  const x = Math.min(...xs) - pad;
  const y = Math.min(...ys) - pad - 14;
  return { label, x, y, width: Math.max(...xs) + NODE.width + pad - x, height: Math.max(...ys) + NODE.height + pad - y };
}
