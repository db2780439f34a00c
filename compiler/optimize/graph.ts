import type { AslState, BranchGraph, Catcher, ChoiceRule } from "../transform/asl-types.ts";
import type { SourceMapEntry } from "../transform/operation-site.ts";

/**
 * What the folds share: one graph (the machine, a Map iteration or a Parallel branch; `Next`
 * never leaves it), the ways into each state, and the source map the states are read back by.
 */
export interface Graph {
  StartAt: string;
  States: Record<string, AslState>;
}

/** One way into a state: a state's `Next`, a Choice rule or `Default`, a Catcher, or the graph's `StartAt`. */
export type Edge =
  | { kind: "next"; from: string }
  | { kind: "rule"; from: string; rule: ChoiceRule }
  | { kind: "default"; from: string }
  | { kind: "catch"; from: string; catcher: Catcher }
  | { kind: "start" };

export function edgesInto(graph: Graph, target: string): Edge[] {
  const edges: Edge[] = graph.StartAt === target ? [{ kind: "start" }] : [];
  for (const [from, state] of Object.entries(graph.States)) {
    if ("Next" in state && state.Next === target) edges.push({ kind: "next", from });
    if (state.Type === "Choice") {
      for (const rule of state.Choices) if (rule.Next === target) edges.push({ kind: "rule", from, rule });
      if (state.Default === target) edges.push({ kind: "default", from });
    }
    if ("Catch" in state) for (const catcher of state.Catch ?? []) if (catcher.Next === target) edges.push({ kind: "catch", from, catcher });
  }
  return edges;
}

/** Points one way in at another state. */
export function redirect(graph: Graph, edge: Edge, to: string): void {
  if (edge.kind === "start") graph.StartAt = to;
  else if (edge.kind === "rule") edge.rule.Next = to;
  else if (edge.kind === "catch") edge.catcher.Next = to;
  else if (edge.kind === "default") (graph.States[edge.from] as { Default: string }).Default = to;
  else (graph.States[edge.from] as { Next?: string }).Next = to;
}

/** Source map fields the trace reader (harness/trace-from-history.ts) acts on: a state carrying one stays. */
export const MEANINGFUL: Array<keyof SourceMapEntry> = ["operation", "childContext", "failedContext", "siblings", "handsOnTo", "pollOf", "callbackKey", "callbackOf", "opens"];

export function removable(entry: SourceMapEntry | undefined): boolean {
  return !entry || MEANINGFUL.every((field) => entry[field] === undefined);
}

/**
 * Can an expression moved into this state fail differently there? An expression that fails
 * (States.QueryEvaluationError) where nothing catches it fails the execution; moved into a state
 * whose Retry or Catch matches that error, it would be retried or caught instead.
 */
export function catchesEvaluationErrors(state: AslState): boolean {
  const lists = [...(("Retry" in state && state.Retry) || []), ...(("Catch" in state && state.Catch) || [])];
  return lists.some((r) => r.ErrorEquals.some((e) => e === "States.ALL" || e === "States.QueryEvaluationError"));
}

/** The state's output as an expression of what its Assign and Output see; null if not expressible. */
export function outputExpression(state: AslState): string | null {
  if (state.Type === "Fail") return null;
  if (state.Output !== undefined) {
    const out = state.Output;
    if (typeof out === "string" && out.startsWith("{%") && out.endsWith("%}")) return out.slice(2, -2).trim();
    return JSON.stringify(out).includes("{%") ? null : JSON.stringify(out);
  }
  return state.Type === "Task" || state.Type === "Map" || state.Type === "Parallel" ? "$states.result" : "$states.input";
}

/** Every graph of the machine: the machine itself, then each Map iteration and Parallel branch, at any depth. */
export function graphsOf(top: Graph): Graph[] {
  const out: Graph[] = [top];
  for (let i = 0; i < out.length; i++) {
    for (const state of Object.values(out[i]!.States)) {
      if (state.Type === "Map") out.push(state.ItemProcessor);
      if (state.Type === "Parallel") out.push(...(state.Branches as BranchGraph[]));
    }
  }
  return out;
}
