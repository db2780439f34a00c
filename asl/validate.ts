import type { StateGraph } from "./definition.ts";
import { DefinitionError, type DefinitionProblem } from "./errors.ts";
import { DefinitionLimits as Limits } from "./limits.ts";
import { aslValidatorProblems } from "./asl-validator-check.ts";
import { scopeProblems } from "./scopes.ts";
import { shapeProblems } from "./shape.ts";
import { stateRuleProblems } from "./state-rules.ts";

/**
 * Refuses a definition before it runs, as CreateStateMachine would: the 1 MB size quota, then
 * asl-validator 4, then our own checks for what it misses. Throws DefinitionError listing each
 * problem with the JSON path of the bad field.
 */
export function validateDefinition(definition: unknown): void {
  const problems = definitionProblems(definition);
  if (problems.length > 0) throw new DefinitionError(problems);
}

/**
 * Validation costs tens of milliseconds (asl-validator), and tests run one machine many times, so
 * results are kept per definition text. The cache is small and simply emptied when full.
 */
const problemsByText = new Map<string, DefinitionProblem[]>();
const CACHE_SIZE = 64;

export function definitionProblems(definition: unknown): DefinitionProblem[] {
  const shape = shapeProblems(definition);
  if (shape.length > 0) return shape;
  const text = JSON.stringify(definition);
  let problems = problemsByText.get(text);
  if (!problems) {
    problems = uncachedProblems(definition as object, Buffer.byteLength(text, "utf8"));
    if (problemsByText.size >= CACHE_SIZE) problemsByText.clear();
    problemsByText.set(text, problems);
  }
  return problems;
}

/**
 * Records a definition as checked already and found without problems, so that checking the same
 * text again costs nothing: for a definition this version of durable2sfn validated in an earlier
 * process (api/run-cache.ts keeps only builds the compiler validated, per version).
 */
export function noteValid(definition: unknown): void {
  if (problemsByText.size >= CACHE_SIZE) problemsByText.clear();
  problemsByText.set(JSON.stringify(definition), []);
}

function uncachedProblems(definition: object, bytes: number): DefinitionProblem[] {
  if (bytes > Limits.definitionBytes) {
    return [{ path: "$", message: `the definition is ${bytes} bytes; the limit is ${Limits.definitionBytes} bytes (1 MB)` }];
  }
  const schemaProblems = aslValidatorProblems(definition);
  // Our checks walk the structure, so they need it to be well-formed first.
  if (schemaProblems.length > 0) return schemaProblems;
  return [...stateRuleProblems(definition as StateGraph), ...scopeProblems(definition as StateGraph)];
}
