/**
 * The drawable shape of a state machine, shared by the Mermaid and SVG writers: one node per state
 * (named as in the ASL, with its source line), edges labelled by what takes them, and Parallel
 * branches / Map item processors as nested groups. Ids are generated (`s1`, `g1`, ...), never
 * state names, so that any name is safe in Mermaid and SVG.
 */

export type EdgeKind = "next" | "choice" | "default" | "catch";

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
}

export interface GraphNode {
  id: string;
  name: string;
  type: string;
  /** `file.ts:12`, from source-map.json or the state's Comment. */
  source?: string;
  /** Parallel branches or the Map item processor. */
  groups: GraphGroup[];
}

export interface GraphGroup {
  id: string;
  label: string;
  startAt?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Nodes that end the group (End: true, Succeed, Fail). */
  ends: string[];
}

export interface MachineGraph {
  title: string;
  root: GraphGroup;
}

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  Choices?: Array<{ Next: string; Condition?: unknown; Variable?: string } & Record<string, unknown>>;
  Default?: string;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Branches?: AslGraph[];
  ItemProcessor?: AslGraph;
  Iterator?: AslGraph;
}
interface AslGraph {
  StartAt?: string;
  States?: Record<string, AslState>;
  Comment?: string;
}

export type SourceLines = Record<string, { file: string; line: number }>;

const MAX_LABEL = 60;

/** Reads a definition (and the build's source map, when there is one) into the drawable graph. */
export function machineGraph(definition: AslGraph, sourceMap?: SourceLines): MachineGraph {
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}${++counter}`;

  const readGroup = (graph: AslGraph, label: string): GraphGroup => {
    const group: GraphGroup = { id: nextId("g"), label, nodes: [], edges: [], ends: [] };
    const ids = new Map<string, string>();
    for (const name of Object.keys(graph.States ?? {})) ids.set(name, nextId("s"));
    const idOf = (name: string) => ids.get(name);
    group.startAt = graph.StartAt !== undefined ? idOf(graph.StartAt) : undefined;
    for (const [name, state] of Object.entries(graph.States ?? {})) {
      const id = idOf(name)!;
      const node: GraphNode = { id, name, type: state.Type, source: sourceOf(name, state, sourceMap), groups: [] };
      (state.Branches ?? []).forEach((branch, i) => node.groups.push(readGroup(branch, `branch ${i + 1}`)));
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) node.groups.push(readGroup(processor, "each item"));
      group.nodes.push(node);
      const edge = (target: string | undefined, kind: EdgeKind, label?: string) => {
        const to = target !== undefined ? idOf(target) : undefined;
        if (to) group.edges.push({ from: id, to, kind, ...(label !== undefined && { label: shorten(label) }) });
      };
      for (const choice of state.Choices ?? []) edge(choice.Next, "choice", conditionText(choice));
      edge(state.Default, "default", "default");
      edge(state.Next, "next");
      for (const c of state.Catch ?? []) edge(c.Next, "catch", `catch ${c.ErrorEquals.join(", ")}`);
      if (state.End || state.Type === "Succeed" || state.Type === "Fail") group.ends.push(id);
    }
    return group;
  };

  return { title: definition.Comment ?? "state machine", root: readGroup(definition, "") };
}

function sourceOf(name: string, state: AslState, sourceMap: SourceLines | undefined): string | undefined {
  const entry = sourceMap?.[name];
  if (entry) return `${entry.file}:${entry.line}`;
  // The compiler writes `file.ts:12` into Comment; other machines may have any comment.
  return state.Comment && /^\S+:\d+$/.test(state.Comment) ? state.Comment : undefined;
}

/** `{% $x > 1 %}` → `$x > 1`; JSONPath rules → `$.x NumericGreaterThan 1`. */
function conditionText(choice: Record<string, unknown>): string {
  if (typeof choice.Condition === "string") return choice.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  const { Next: _next, Variable, Assign: _assign, Output: _output, Comment: _comment, ...rule } = choice;
  const [operator, operand] = Object.entries(rule)[0] ?? ["", ""];
  return [Variable, operator, typeof operand === "object" ? "…" : String(operand)].filter(Boolean).join(" ");
}

export function shorten(text: string, max = MAX_LABEL): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
