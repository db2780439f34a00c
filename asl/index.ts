/**
 * The ASL definition: its types, the walk over its states and the checks CreateStateMachine would
 * make. Shared by the compiler (which validates what it emits) and the emulator (which refuses a bad
 * definition before running it); it imports nothing else of this project.
 */
export type { Catcher, ChoiceRule, Retrier, StateDefinition, StateGraph } from "./definition.ts";
export { DefinitionError, ErrorNames, type DefinitionProblem } from "./errors.ts";
export { expressionAst, isExpressionString, freeVariablesOf, variablesReadBy } from "./expressions.ts";
export { DefinitionLimits } from "./limits.ts";
export { shapeProblems } from "./shape.ts";
export { definitionProblems, noteValid, validateDefinition } from "./validate.ts";
export { member, walkStates, type StateAt } from "./walk.ts";
