import type { StateDefinition, StateGraph } from "./definition.ts";

/** A state met while walking a definition, with the JSON path of the state object. */
export interface StateAt {
  name: string;
  state: StateDefinition;
  path: string;
  /** How deep the variable scope is: 0 for the top-level States, +1 per Parallel branch or Map iteration. */
  depth: number;
  /** The nearest enclosing Parallel branch or Map ItemProcessor (undefined at top level). */
  graphPath: string;
}

/** Every state of `graph`, nested branches and item processors included, in document order. */
export function* walkStates(graph: StateGraph, graphPath = "$", depth = 0): Generator<StateAt> {
  for (const [name, state] of Object.entries(graph.States ?? {})) {
    const path = `${graphPath}.States${member(name)}`;
    yield { name, state, path, depth, graphPath };
    for (let i = 0; i < (state.Branches ?? []).length; i++) {
      yield* walkStates(state.Branches![i]!, `${path}.Branches[${i}]`, depth + 1);
    }
    if (state.ItemProcessor) yield* walkStates(state.ItemProcessor, `${path}.ItemProcessor`, depth + 1);
  }
}

/** `.Name` for plain identifiers, `['Some name']` otherwise (state names may contain spaces). */
export function member(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
