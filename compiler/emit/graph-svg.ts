import { shorten, type MachineGraph } from "./graph.ts";
import { layout, NODE, type PlacedEdge, type PlacedNode } from "./graph-layout.ts";

const FILL: Record<string, string> = {
  Task: "#e8f0fe",
  Choice: "#fff6d6",
  Wait: "#f3e8fd",
  Pass: "#f1f3f4",
  Succeed: "#e3f4e1",
  Fail: "#fde2e2",
  Parallel: "#e0f7fa",
  Map: "#e0f7fa",
};
const EDGE_COLOR: Record<PlacedEdge["kind"], string> = {
  next: "#555",
  choice: "#b8860b",
  default: "#b8860b",
  catch: "#c0392b",
  branch: "#00838f",
  join: "#9aa0a6",
};

/**
 * A self-contained SVG of the machine, laid out by graph-layout.ts: one box per state (name, type,
 * source line; the full details in a tooltip), arrows labelled like the Mermaid output, Catch edges
 * dashed red, Parallel branches and Map item processors framed.
 */
export function toSvg(graph: MachineGraph): string {
  const l = layout(graph);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${xml(graph.title)}</title>`,
    `<defs>${Object.entries(EDGE_COLOR)
      .map(([kind, color]) => `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`)
      .join("")}</defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${NODE.margin}" y="${NODE.margin}" font-weight="bold">${xml(shorten(graph.title, 90))}</text>`,
    ...l.boxes.map(
      (b) =>
        `<g class="group"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="8" fill="none" stroke="#00838f" stroke-dasharray="4 3"/><text x="${b.x + 6}" y="${b.y + 12}" fill="#00838f" font-size="10">${xml(shorten(b.label, 40))}</text></g>`,
    ),
    ...l.edges.map(edge),
    ...l.nodes.map(node),
    "</svg>",
  ];
  return `${parts.join("\n")}\n`;
}

function node(n: PlacedNode): string {
  const tooltip = `<title>${xml([n.name, n.type, n.source].filter(Boolean).join(" · "))}</title>`;
  if (n.type === "Start" || n.type === "End") {
    const cx = n.x + NODE.width / 2;
    const cy = n.y + NODE.height / 2;
    return `<g class="terminal">${tooltip}<circle cx="${cx}" cy="${cy}" r="12" fill="#333"/><text x="${cx + 18}" y="${cy + 4}" fill="#333">${n.name}</text></g>`;
  }
  const detail = n.source ? `${n.type} · ${n.source}` : n.type;
  return [
    `<g class="state" data-state="${xml(n.name)}"${n.source ? ` data-source="${xml(n.source)}"` : ""}>${tooltip}`,
    `<rect x="${n.x}" y="${n.y}" width="${NODE.width}" height="${NODE.height}" rx="${n.type === "Choice" ? 16 : 6}" fill="${FILL[n.type] ?? "#fff"}" stroke="#5f6368"/>`,
    `<text x="${n.x + NODE.width / 2}" y="${n.y + 19}" text-anchor="middle" font-weight="bold">${xml(shorten(n.name, 26))}</text>`,
    `<text x="${n.x + NODE.width / 2}" y="${n.y + 35}" text-anchor="middle" fill="#5f6368" font-size="10">${xml(shorten(detail, 34))}</text>`,
    "</g>",
  ].join("");
}

/** Down the page: bottom of one box to the top of the next. Back (loop) edges: round the right-hand side. */
function edge(e: PlacedEdge): string {
  const color = EDGE_COLOR[e.kind];
  const dash = e.kind === "catch" ? ` stroke-dasharray="6 4"` : e.kind === "join" ? ` stroke-dasharray="2 3"` : "";
  let d: string;
  let mid: { x: number; y: number };
  if (e.to.y > e.from.y) {
    const [x1, y1, x2, y2] = [e.from.x + NODE.width / 2, e.from.y + NODE.height, e.to.x + NODE.width / 2, e.to.y];
    const bend = (y2 - y1) / 2;
    d = `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
    mid = { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
  } else {
    const [x1, y1, x2, y2] = [e.from.x + NODE.width, e.from.y + NODE.height / 2, e.to.x + NODE.width, e.to.y + NODE.height / 2];
    const out = Math.max(x1, x2) + 40;
    d = `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
    mid = { x: out - 10, y: (y1 + y2) / 2 };
  }
  const label = e.label && e.kind !== "branch" ? `<text x="${mid.x + 4}" y="${mid.y}" fill="${color}" font-size="10">${xml(shorten(e.label, 36))}</text>` : "";
  return `<g class="edge ${e.kind}"><path d="${d}" fill="none" stroke="${color}"${dash} marker-end="url(#arrow-${e.kind})"/>${label}</g>`;
}

function xml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
