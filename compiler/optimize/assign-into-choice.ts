import type { ChoiceRule, ChoiceState } from "../transform/asl-types.ts";
import { MAX_RULES } from "./fold-choice.ts";
import { asExpression, substitute, volatile } from "./jsonata-text.ts";

/**
 * Moves the assignments of a Pass (no Output) into the Choice after it, which nothing else
 * leads to: its conditions, Assigns and Outputs read the assigned expressions in place of the
 * variables (the Pass's input is the Choice's input), every rule assigns them too, and the
 * Default becomes a last rule that always matches, so that it assigns them as well. Not into a
 * Choice with an Assign of its own (when it applies with a matching rule is read differently by
 * the docs and the emulator), nor expressions whose value differs between evaluations (they
 * would be copied). A Choice has no Retry or Catch: an expression that fails, fails the same way.
 * Returns false, the Choice untouched, where that cannot be done.
 */
export function assignsIntoChoice(choice: ChoiceState, assigns: Record<string, unknown>): boolean {
  if (choice.Assign !== undefined || volatile(assigns) || choice.Choices.length >= MAX_RULES) return false;
  const replace = new Map<string, string>();
  for (const [k, v] of Object.entries(assigns)) {
    const expr = asExpression(v);
    if (expr === null) return false;
    replace.set(k, expr);
  }
  const rules: ChoiceRule[] = [];
  for (const rule of [...choice.Choices, { Condition: "{% true %}", Next: choice.Default }]) {
    const fields = substitute({ Condition: rule.Condition, Assign: rule.Assign ?? {}, Output: rule.Output ?? null }, replace) as
      | { Condition: string; Assign: Record<string, unknown>; Output: unknown }
      | undefined;
    if (!fields) return false;
    const out: ChoiceRule = { Condition: fields.Condition, Assign: { ...assigns, ...fields.Assign }, Next: rule.Next };
    if (rule.Output !== undefined) out.Output = fields.Output;
    rules.push(out);
  }
  const output = choice.Output === undefined ? undefined : substitute(choice.Output, replace);
  if (choice.Output !== undefined && output === undefined) return false;
  choice.Choices = rules;
  if (output !== undefined) choice.Output = output;
  return true;
}
