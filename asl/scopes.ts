import type { StateDefinition, StateGraph } from "./definition.ts";
import type { DefinitionProblem } from "./errors.ts";
import { isExpressionString, variablesReadBy } from "./expressions.ts";
import { DefinitionLimits as Limits } from "./limits.ts";
import { member } from "./walk.ts";

/**
 * Variable rules checked before the run (AWS docs, "Passing data between states with variables",
 * "Variable scope"): the top-level States are the outer scope, each Parallel branch and each Map
 * ItemProcessor an inner one. An inner scope may read outer variables but may not assign a name that
 * an outer scope assigns (that would be assigning or shadowing an outer variable). A distributed Map
 * cannot read outer variables at all. Names are at most 80 characters; sub-paths such as `x.y` or
 * `x[2]` cannot be assigned, and `$states` is reserved.
 */
export function scopeProblems(definition: StateGraph): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  checkGraph(definition, "$", new Set(), false, problems);
  return problems;
}

const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function checkGraph(graph: StateGraph, graphPath: string, outer: Set<string>, distributed: boolean, problems: DefinitionProblem[]) {
  const own = new Set<string>();
  for (const { block, path } of assignBlocksOf(graph, graphPath)) {
    for (const name of Object.keys(block)) {
      const at = `${path}${member(name)}`;
      if (!NAME.test(name) || name === "states") {
        problems.push({ path: at, message: `'${name}' is not a valid variable name (no sub-paths; $states is reserved)` });
      } else if ([...name].length > Limits.variableNameLength) {
        problems.push({ path: at, message: `variable names are at most ${Limits.variableNameLength} characters` });
      } else if (outer.has(name)) {
        problems.push({ path: at, message: `'${name}' is assigned in an outer scope; a Parallel branch or Map iteration cannot assign or shadow it` });
      }
      own.add(name);
    }
  }
  if (distributed) {
    for (const { value, path } of expressionsOf(graph.States, `${graphPath}.States`)) {
      for (const name of variablesReadBy(value)) {
        if (outer.has(name)) problems.push({ path, message: `a distributed Map cannot read the outer variable '$${name}'` });
      }
    }
  }
  const visible = new Set([...outer, ...own]);
  for (const [name, state] of Object.entries(graph.States ?? {})) {
    const statePath = `${graphPath}.States${member(name)}`;
    (state.Branches ?? []).forEach((branch, i) => checkGraph(branch, `${statePath}.Branches[${i}]`, visible, false, problems));
    if (state.ItemProcessor) {
      const isDistributed = state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED";
      checkGraph(state.ItemProcessor, `${statePath}.ItemProcessor`, visible, isDistributed, problems);
    }
  }
}

/** The Assign blocks that write to this graph's scope: states, Choice rules and Catchers. */
function* assignBlocksOf(graph: StateGraph, graphPath: string): Generator<{ block: Record<string, unknown>; path: string }> {
  for (const [name, state] of Object.entries(graph.States ?? {})) {
    const statePath = `${graphPath}.States${member(name)}`;
    const s: StateDefinition = state;
    if (isObject(s.Assign)) yield { block: s.Assign, path: `${statePath}.Assign` };
    for (const [field, list] of [["Choices", s.Choices], ["Catch", s.Catch]] as const) {
      const entries: Array<{ Assign?: Record<string, unknown> }> = list ?? [];
      for (let i = 0; i < entries.length; i++) {
        const block = entries[i]!.Assign;
        if (isObject(block)) yield { block, path: `${statePath}.${field}[${i}].Assign` };
      }
    }
  }
}

/** Every `{% %}` string below `value`, nested branches included, with its path. */
function* expressionsOf(value: unknown, path: string): Generator<{ value: string; path: string }> {
  if (isExpressionString(value)) {
    yield { value, path };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* expressionsOf(value[i], `${path}[${i}]`);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) yield* expressionsOf(v, `${path}${member(k)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
