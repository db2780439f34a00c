import type { MachineGraph } from "./graph.ts";
import { FONT, layout, type PlacedEdge, type PlacedFrame, type PlacedMarker, type PlacedState } from "./graph-layout.ts";

const FILL: Record<string, string> = {
  Task: "#e8f0fe",
  Choice: "#fff6d6",
  Wait: "#f3e8fd",
  Pass: "#f1f3f4",
  Succeed: "#e3f4e1",
  Fail: "#fde2e2",
  Parallel: "#f4fbfc",
  Map: "#f4fbfc",
};
const EDGE_COLOR: Record<PlacedEdge["kind"], string> = {
  next: "#555",
  choice: "#b8860b",
  default: "#b8860b",
  catch: "#c0392b",
};

/**
 * A self-contained SVG of the machine, laid out by graph-layout.ts (ELK). Each state is one
 * `<g class="state" data-state="name" data-type="Task">` whose first child is its box, a `<rect
 * class="box">`: a page can colour a state by a class on the group (CSS outranks the fill and
 * stroke attributes). Groups are not nested: a Parallel/Map state's box is drawn first, its
 * branches' frames and states after it, on top. Arrows are labelled like the Mermaid output, Catch
 * edges dashed red; each label sits on a white patch ELK kept clear of boxes and other labels.
 */
export async function toSvg(graph: MachineGraph): Promise<string> {
  const l = await layout(graph);
  const names = new Map(l.states.map((s) => [s.id, s.name]));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT.name}">`,
    `<title>${xml(graph.title)}</title>`,
    `<defs>${Object.entries(EDGE_COLOR)
      .map(([kind, color]) => `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`)
      .join("")}</defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text class="title" x="16" y="${16 + FONT.title}" font-size="${FONT.title}" font-weight="bold">${xml(l.title)}</text>`,
    ...l.markers.map(marker),
    ...boxesInOrder(l.states, l.frames),
    ...l.edges.map((e) => edge(e, names)),
    "</svg>",
  ];
  return `${parts.join("\n")}\n`;
}

/** Each container before its frames, each frame before its states, so that inner boxes are on top. */
function boxesInOrder(states: PlacedState[], frames: PlacedFrame[]): string[] {
  const out: string[] = [];
  for (const s of states) {
    out.push(state(s));
    if (s.container) for (const f of frames.filter((f) => f.owner === s.id)) out.push(frame(f));
  }
  return out;
}

function state(s: PlacedState): string {
  const tooltip = `<title>${xml([s.name, s.type, s.source].filter(Boolean).join(" · "))}</title>`;
  const cx = s.x + s.width / 2;
  // A container's text is in its header, above its frames; a plain state's is centred in its box.
  const [nameY, detailY] = s.container ? [s.y + 18, s.y + 32] : [s.y + 19, s.y + 35];
  const nameX = s.container ? s.x + 12 : cx;
  const anchor = s.container ? "start" : "middle";
  return [
    `<g class="state${s.container ? " container" : ""}" data-state="${xml(s.name)}" data-type="${xml(s.type)}"${s.frame ? ` data-frame="${s.frame}"` : ""}${s.source ? ` data-source="${xml(s.source)}"` : ""}>`,
    `<rect class="box" x="${s.x}" y="${s.y}" width="${s.width}" height="${s.height}" rx="${s.type === "Choice" ? 16 : 6}" fill="${FILL[s.type] ?? "#fff"}" stroke="${s.container ? "#00838f" : "#5f6368"}"/>`,
    tooltip,
    `<text x="${nameX}" y="${nameY}" text-anchor="${anchor}" font-weight="bold">${xml(s.title)}</text>`,
    `<text x="${nameX}" y="${detailY}" text-anchor="${anchor}" fill="#5f6368" font-size="${FONT.detail}">${xml(s.detail)}</text>`,
    "</g>",
  ].join("");
}

function frame(f: PlacedFrame): string {
  return `<g class="frame" data-frame="${f.id}" data-owner="${xml(f.ownerName)}"><rect x="${f.x}" y="${f.y}" width="${f.width}" height="${f.height}" rx="6" fill="none" stroke="#00838f" stroke-dasharray="4 3"/><text x="${f.x + 8}" y="${f.y + 14}" fill="#00838f" font-size="${FONT.label}">${xml(f.label)}</text></g>`;
}

function marker(m: PlacedMarker): string {
  const text = m.kind === "start" ? "Start" : "End";
  return `<g class="terminal ${m.kind}"><rect x="${m.x}" y="${m.y}" width="${m.width}" height="${m.height}" rx="${m.height / 2}" fill="#333"/><text x="${m.x + m.width / 2}" y="${m.y + m.height / 2 + 4}" text-anchor="middle" fill="#fff" font-size="${FONT.label}">${text}</text></g>`;
}

/** `data-from` / `data-to` name the states it joins (none for the start and end markers). */
function edge(e: PlacedEdge, names: Map<string, string>): string {
  const ends = (["from", "to"] as const).map((end) => (names.has(e[end]) ? ` data-${end}="${xml(names.get(e[end])!)}"` : "")).join("");
  const color = EDGE_COLOR[e.kind];
  const dash = e.kind === "catch" ? ` stroke-dasharray="6 4"` : "";
  const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(" ");
  const b = e.labelBox;
  const label =
    b && e.labelText !== undefined
      ? `<g class="label"><title>${xml(e.label ?? "")}</title><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="#fff" fill-opacity="0.9"/><text x="${b.x + b.width / 2}" y="${b.y + b.height - 4}" text-anchor="middle" fill="${color}" font-size="${FONT.label}">${xml(e.labelText)}</text></g>`
      : "";
  return `<g class="edge ${e.kind}"${ends}><path d="${d}" fill="none" stroke="${color}"${dash} marker-end="url(#arrow-${e.kind})"/>${label}</g>`;
}

function xml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
