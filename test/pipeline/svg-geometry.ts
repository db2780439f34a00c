/**
 * Reads back what `graph --format svg` drew, from the SVG's own coordinates, and lists every way
 * the drawing is unreadable: boxes on top of each other, frames that do not hold their states, edges
 * through boxes, labels on labels, boxes or other edges. Knows the SVG's shape (one element per line,
 * the attributes graph-svg.ts writes), nothing of the layout that made it.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface State extends Rect {
  name: string;
  type: string;
  frame?: string;
  container: boolean;
  /** Where its text ends: a container's header band, which its frames must stay below. */
  textBottom: number;
}
interface Frame extends Rect {
  id: string;
  owner: string;
  textBottom: number;
}
interface Edge {
  kind: string;
  from?: string;
  to?: string;
  points: Array<{ x: number; y: number }>;
  label?: Rect;
}
export interface Drawing {
  width: number;
  height: number;
  titleBottom: number;
  states: State[];
  frames: Frame[];
  markers: Rect[];
  edges: Edge[];
}

/** Text extends this far below its baseline (the descenders of a 12px font). */
const DESCENT = 4;
/** Coordinates are written to a tenth of a pixel: closer than this is touching, not overlapping. */
const EPS = 0.5;

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, unescapeXml(m[2]!)]));
const rectOf = (a: Record<string, string>): Rect => ({ x: Number(a.x), y: Number(a.y), width: Number(a.width), height: Number(a.height) });
const firstTag = (line: string, name: string) => attrs(line.match(new RegExp(`<${name} [^>]*>`))?.[0] ?? "");
const textBaselines = (line: string) => [...line.matchAll(/<text [^>]*>/g)].map((m) => Number(attrs(m[0]).y));

export function readSvg(svg: string): Drawing {
  const root = firstTag(svg, "svg");
  const d: Drawing = { width: Number(root.width), height: Number(root.height), titleBottom: 0, states: [], frames: [], markers: [], edges: [] };
  for (const line of svg.split("\n")) {
    const g = firstTag(line, "g");
    const cls = g.class?.split(" ") ?? [];
    if (line.startsWith('<text class="title"')) d.titleBottom = Number(firstTag(line, "text").y) + DESCENT;
    else if (cls[0] === "state") {
      const box = rectOf(firstTag(line, "rect"));
      d.states.push({ ...box, name: g["data-state"]!, type: g["data-type"]!, ...(g["data-frame"] && { frame: g["data-frame"] }), container: cls.includes("container"), textBottom: Math.max(...textBaselines(line)) + DESCENT });
    } else if (cls[0] === "frame") d.frames.push({ ...rectOf(firstTag(line, "rect")), id: g["data-frame"]!, owner: g["data-owner"]!, textBottom: Math.max(...textBaselines(line)) + DESCENT });
    else if (cls[0] === "terminal") d.markers.push(rectOf(firstTag(line, "rect")));
    else if (cls[0] === "edge") {
      const path = firstTag(line, "path").d!;
      const points = [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
      const label = line.includes('<g class="label">') ? rectOf(attrs(line.slice(line.indexOf('<g class="label">')).match(/<rect [^>]*>/)![0])) : undefined;
      d.edges.push({ kind: cls[1]!, ...(g["data-from"] && { from: g["data-from"] }), ...(g["data-to"] && { to: g["data-to"] }), points, ...(label && { label }) });
    }
  }
  return d;
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width - EPS && b.x < a.x + a.width - EPS && a.y < b.y + b.height - EPS && b.y < a.y + a.height - EPS;
const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x - EPS && inner.y >= outer.y - EPS && inner.x + inner.width <= outer.x + outer.width + EPS && inner.y + inner.height <= outer.y + outer.height + EPS;
const band = (r: Rect, bottom: number): Rect => ({ x: r.x, y: r.y, width: r.width, height: bottom - r.y });
/** A segment, as the thin rectangle it covers. */
const segment = (p: { x: number; y: number }, q: { x: number; y: number }): Rect => ({ x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), width: Math.abs(p.x - q.x), height: Math.abs(p.y - q.y) });
/** Whether a segment enters the inside of a box (running along its border is not entering). */
const crosses = (s: Rect, box: Rect) => s.x < box.x + box.width - EPS && box.x + EPS < s.x + s.width + (s.width === 0 ? EPS : 0) && s.y < box.y + box.height - EPS && box.y + EPS < s.y + s.height + (s.height === 0 ? EPS : 0);
const onBorder = (p: { x: number; y: number }, r: Rect) =>
  p.x >= r.x - EPS && p.x <= r.x + r.width + EPS && p.y >= r.y - EPS && p.y <= r.y + r.height + EPS && (Math.abs(p.x - r.x) <= EPS || Math.abs(p.x - r.x - r.width) <= EPS || Math.abs(p.y - r.y) <= EPS || Math.abs(p.y - r.y - r.height) <= EPS);

/** Every problem found, one line each; none for a readable drawing. */
export function problems(d: Drawing): string[] {
  const out: string[] = [];
  const byName = new Map(d.states.map((s) => [s.name, s]));
  const frameById = new Map(d.frames.map((f) => [f.id, f]));
  const ancestors = (s: State): State[] => {
    const owner = s.frame ? byName.get(frameById.get(s.frame)?.owner ?? "") : undefined;
    return owner ? [owner, ...ancestors(owner)] : [];
  };
  const boxes: Array<Rect & { name: string; state?: State }> = [...d.states.map((s) => ({ ...s, state: s })), ...d.markers.map((m, i) => ({ ...m, name: `marker ${i + 1}` }))];

  for (const b of [...boxes, ...d.frames]) if (b.x < 0 || b.y < d.titleBottom || b.x + b.width > d.width || b.y + b.height > d.height) out.push(`${"name" in b ? b.name : b.id} is outside the canvas or under the title`);
  boxes.forEach((a, i) =>
    boxes.slice(i + 1).forEach((b) => {
      const nested = (a.state && b.state && (ancestors(a.state).includes(b.state) || ancestors(b.state).includes(a.state))) ?? false;
      if (!nested && overlaps(a, b)) out.push(`boxes overlap: ${a.name} and ${b.name}`);
    }),
  );
  for (const s of d.states) {
    if (s.frame === undefined) continue;
    const f = frameById.get(s.frame);
    if (!f) out.push(`${s.name} is in frame ${s.frame}, which is not drawn`);
    else if (!inside(s, f) || s.y < f.textBottom) out.push(`${s.name} is not inside its frame ${f.id}, below its label`);
  }
  for (const f of d.frames) {
    const owner = byName.get(f.owner);
    if (!owner?.container) out.push(`frame ${f.id} has no container state ${f.owner}`);
    else if (!inside(f, owner) || f.y < owner.textBottom) out.push(`frame ${f.id} is not inside ${f.owner}, below its header`);
    for (const g of d.frames) if (g !== f && g.owner === f.owner && g.id > f.id && overlaps(f, g)) out.push(`frames overlap: ${f.id} and ${g.id}`);
  }

  d.edges.forEach((e, i) => {
    const name = `edge ${i + 1} (${e.kind})`;
    const [first, last] = [e.points[0]!, e.points.at(-1)!];
    if (e.points.length < 2) return out.push(`${name} has no path`);
    if (!boxes.some((b) => onBorder(first, b))) out.push(`${name} does not start on a box`);
    if (!boxes.some((b) => onBorder(last, b))) out.push(`${name} does not end on a box`);
    // The boxes it may run inside: those around both its ends (the Parallel/Map states it is in).
    const within = (p: { x: number; y: number }, b: Rect) => inside({ ...p, width: 0, height: 0 }, b) && !onBorder(p, b);
    const around = boxes.filter((b) => within(first, b) && within(last, b));
    for (let k = 1; k < e.points.length; k++) {
      const seg = segment(e.points[k - 1]!, e.points[k]!);
      if (seg.width > EPS && seg.height > EPS) out.push(`${name} has a slanted segment`);
      for (const b of boxes) if (!around.includes(b) && crosses(seg, b)) out.push(`${name} runs through ${b.name}`);
      for (const s of d.states.filter((s) => s.container)) if (crosses(seg, band(s, s.textBottom))) out.push(`${name} runs through the header of ${s.name}`);
    }
  });

  const labels = d.edges.flatMap((e, i) => (e.label ? [{ ...e.label, edge: i }] : []));
  labels.forEach((l, i) => {
    const name = `label of edge ${l.edge + 1}`;
    for (const m of labels.slice(i + 1)) if (overlaps(l, m)) out.push(`${name} overlaps the label of edge ${m.edge + 1}`);
    for (const b of boxes) {
      const straddles = b.state?.container ? overlaps(l, b) && !inside(l, b) : overlaps(l, b);
      if (straddles) out.push(`${name} overlaps ${b.name}`);
      if (b.state?.container && overlaps(l, band(b, b.state.textBottom))) out.push(`${name} overlaps the header of ${b.name}`);
    }
    for (const f of d.frames) if ((overlaps(l, f) && !inside(l, f)) || overlaps(l, band(f, f.textBottom))) out.push(`${name} overlaps frame ${f.id}`);
    d.edges.forEach((e, k) => {
      if (k === l.edge) return;
      for (let p = 1; p < e.points.length; p++) if (crosses(segment(e.points[p - 1]!, e.points[p]!), l)) return out.push(`${name} is drawn over edge ${k + 1}`);
    });
  });
  return out;
}
