import type { DefinitionProblem } from "./errors.ts";
import { member } from "./walk.ts";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The skeleton every later check walks: the definition, each state, each Parallel branch and
 * each Map ItemProcessor is a JSON object, and each graph has a `States` object. asl-validator
 * itself throws on a state that is null or a number, so this runs first.
 */
export function shapeProblems(graph: unknown, path = "$"): DefinitionProblem[] {
  if (!isObject(graph)) return [{ path, message: path === "$" ? "a state machine definition must be a JSON object" : "must be a JSON object" }];
  if (!isObject(graph.States)) return [{ path: `${path}.States`, message: "must be a JSON object of states" }];
  const problems: DefinitionProblem[] = [];
  for (const [name, state] of Object.entries(graph.States)) {
    const at = `${path}.States${member(name)}`;
    if (!isObject(state)) {
      problems.push({ path: at, message: "a state must be a JSON object" });
      continue;
    }
    if (state.Branches !== undefined) {
      if (Array.isArray(state.Branches)) state.Branches.forEach((branch, i) => problems.push(...shapeProblems(branch, `${at}.Branches[${i}]`)));
      else problems.push({ path: `${at}.Branches`, message: "must be an array of state graphs" });
    }
    if (state.ItemProcessor !== undefined) problems.push(...shapeProblems(state.ItemProcessor, `${at}.ItemProcessor`));
  }
  return problems;
}
