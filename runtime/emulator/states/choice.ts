import { ErrorNames, StatesError } from "../errors.ts";
import type { StateOutcome, StateVisit } from "../state-visit.ts";

/**
 * Choice (AWS docs, "Choice workflow state", JSONata rules): the first rule whose Condition is true
 * picks Next. A matching rule's Assign is applied, and so is the state-level Assign, "which applies
 * regardless of which choice rule matches" (the rule's value wins for a name both assign). The
 * rule's Output, else the state's Output, else the input is the output. With no match the Default
 * is followed, or the state fails with States.NoChoiceMatched.
 */
export async function runChoice(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  const bindings = visit.bindings();
  const rules = visit.state.Choices ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const label = `Choices[${i}]`;
    const matched = await visit.evaluate("Condition", bindings, rule, `${label}.Condition`);
    if (typeof matched !== "boolean") {
      throw new StatesError(
        ErrorNames.QueryEvaluationError,
        `The Condition of ${label} must evaluate to a boolean, got ${JSON.stringify(matched)}`,
      );
    }
    if (matched) {
      const output = rule.Output !== undefined ? rule : visit.state;
      return visit.exit(bindings, visit.input, rule.Next, { assign: [visit.state, rule], output, label });
    }
  }
  if (visit.state.Default === undefined) {
    throw new StatesError(ErrorNames.NoChoiceMatched, `No Choice Rule matched and there is no Default in state '${visit.name}'`);
  }
  return visit.exit(bindings, visit.input, visit.state.Default);
}
