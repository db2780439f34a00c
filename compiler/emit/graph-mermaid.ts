import type { GraphEdge, GraphGroup, GraphNode, MachineGraph } from "./graph.ts";

/**
 * Mermaid flowchart text that GitHub renders: generated ids only, every label quoted with the
 * characters Mermaid would read as syntax written as entity codes (`#34;`), Choice edges labelled
 * by their condition, Catch edges dashed, Parallel/Map as subgraphs. Each state's source line is
 * in its label and in a `%%` comment.
 */
export function toMermaid(graph: MachineGraph): string {
  const lines = ["flowchart TD", `  %% ${comment(graph.title)}`, `  start_((" "))`, `  finish_((" "))`];
  writeGroup(graph.root, lines, "  ");
  if (graph.root.startAt) lines.push(`  start_ --> ${graph.root.startAt}`);
  for (const id of graph.root.ends) lines.push(`  ${id} --> finish_`);
  lines.push(
    "  classDef fail fill:#fde2e2,stroke:#c0392b",
    "  classDef succeed fill:#e3f4e1,stroke:#2e7d32",
    "  classDef choice fill:#fff6d6,stroke:#b8860b",
    "  classDef terminal fill:#333,stroke:#333",
  );
  const byClass = (type: string) => allNodes(graph.root).filter((n) => n.type === type).map((n) => n.id);
  for (const [type, cls] of [["Fail", "fail"], ["Succeed", "succeed"], ["Choice", "choice"]] as const) {
    const ids = byClass(type);
    if (ids.length > 0) lines.push(`  class ${ids.join(",")} ${cls}`);
  }
  lines.push("  class start_,finish_ terminal");
  return `${lines.join("\n")}\n`;
}

function writeGroup(group: GraphGroup, lines: string[], indent: string): void {
  for (const node of group.nodes) {
    if (node.source) lines.push(`${indent}%% ${node.id} = ${comment(node.name)} at ${comment(node.source)}`);
    if (node.groups.length > 0) writeContainer(node, lines, indent);
    else lines.push(`${indent}${node.id}${shape(node)}`);
  }
  for (const edge of group.edges) lines.push(`${indent}${edgeLine(edge)}`);
}

/** A Parallel or Map state: a subgraph per branch inside a subgraph for the state itself. */
function writeContainer(node: GraphNode, lines: string[], indent: string): void {
  lines.push(`${indent}subgraph ${node.id}["${text(`${node.type}: ${node.name}${node.source ? ` · ${node.source}` : ""}`)}"]`);
  lines.push(`${indent}  direction TB`);
  for (const group of node.groups) {
    lines.push(`${indent}  subgraph ${group.id}["${text(group.label)}"]`);
    writeGroup(group, lines, `${indent}    `);
    lines.push(`${indent}  end`);
  }
  lines.push(`${indent}end`);
}

function shape(node: GraphNode): string {
  const label = `"${text(node.name)}<br/><small>${text(node.type + (node.source ? ` · ${node.source}` : ""))}</small>"`;
  switch (node.type) {
    case "Choice":
      return `{${label}}`;
    case "Wait":
      return `[/${label}/]`;
    case "Pass":
      return `(${label})`;
    case "Succeed":
    case "Fail":
      return `([${label}])`;
    default:
      return `[${label}]`;
  }
}

function edgeLine(edge: GraphEdge): string {
  const arrow = edge.kind === "catch" ? "-.->" : "-->";
  return edge.label ? `${edge.from} ${arrow}|"${text(edge.label)}"| ${edge.to}` : `${edge.from} ${arrow} ${edge.to}`;
}

/** Characters that end or alter a quoted Mermaid label, as entity codes (Mermaid turns `#34;` into `"`). */
export function text(value: string): string {
  return value.replace(/[#"<>&|`\\{}[\]]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\s+/g, " ");
}

/** A `%%` comment is one line; nothing in it can end it but a newline. */
function comment(value: string): string {
  return value.replace(/\s+/g, " ");
}

function allNodes(group: GraphGroup): GraphNode[] {
  return group.nodes.flatMap((n) => [n, ...n.groups.flatMap(allNodes)]);
}
