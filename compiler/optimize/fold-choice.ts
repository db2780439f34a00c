import type { ChoiceRule, ChoiceState } from "../transform/asl-types.ts";
import type { SourceMapEntry } from "../transform/operation-site.ts";
import { alwaysBoolean, asExpression, substitute, variablesRead, volatile } from "./jsonata-text.ts";
import { edgesInto, removable, type Graph } from "./graph.ts";

/**
 * Folds a Choice that another Choice leads to into that one, one transition fewer:
 * - from its `Default`: when no rule of the first matches, the second's rules are tried on the
 *   same input and variables, so they follow the first's rules, with the second's Default;
 * - from a rule (`g`, its Assign and Output, Next the second): the rule becomes one rule per rule
 *   of the second (`g and c`, `c` reading what the second read there: the rule's Output as its
 *   input, the values the rule assigns), then `g` to the second's Default. JSONata's `and` does
 *   not evaluate `c` when `g` is false, so the first's later rules see what they saw before.
 * The second must have no Assign or Output of its own (they apply whichever rule matches), nor
 * the first (a Choice's own Assign joins every rule's), and the second stays while anything
 * else leads to it (a loop head).
 * Rules after one that always matches (`{% true %}`, left by assign-into-choice.ts) and then the
 * Default are never tried, so they are neither copied nor folded: they may read variables that
 * only that rule assigns, and a condition that names a variable not yet assigned fails the
 * execution (States.QueryEvaluationError) even where `and` would not evaluate it.
 */
/** Keeps a folded Choice readable in the visual editor. */
export const MAX_RULES = 12;

export function foldChoices(graph: Graph, sourceMap: Record<string, SourceMapEntry>): boolean {
  let changed = false;
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type !== "Choice" || state.Assign !== undefined) continue;
    changed = withoutUnreachedRules(state) || changed;
    const foldable = (target: string) => foldableChoice(graph, sourceMap, name, target);
    const dropIfUnreached = (target: string) => {
      if (edgesInto(graph, target).length > 0) return;
      delete graph.States[target];
      delete sourceMap[target];
    };
    const next = defaultReached(state) ? foldable(state.Default) : undefined;
    if (next && state.Output === undefined && state.Choices.length + next.Choices.length <= MAX_RULES) {
      const folded = state.Default;
      state.Choices = [...state.Choices, ...next.Choices.map((rule) => structuredClone(rule))];
      state.Default = next.Default;
      changed = true;
      dropIfUnreached(folded);
    }
    for (let i = 0; i < state.Choices.length; i++) {
      const rule = state.Choices[i]!;
      const target = foldable(rule.Next);
      const rules = target && composed(rule, state.Output, target);
      if (!rules || state.Choices.length - 1 + rules.length > MAX_RULES) continue;
      state.Choices.splice(i, 1, ...rules);
      i += rules.length - 1;
      changed = true;
      dropIfUnreached(rule.Next);
    }
  }
  return changed;
}

/** The Choice at `target` when it can fold into the Choice `from`. */
function foldableChoice(graph: Graph, sourceMap: Record<string, SourceMapEntry>, from: string, target: string): ChoiceState | undefined {
  const next = graph.States[target];
  if (!next || next.Type !== "Choice" || target === from || next.Assign !== undefined || next.Output !== undefined || !removable(sourceMap[target])) return undefined;
  // A Choice that leads back to itself would copy its rules without end. One that leads back to
  // the first (a loop head: `for` then an `if` that continues) folds: the copied rule leads the
  // first Choice to itself, which evaluates it again with the values the rule assigned.
  const targets = [...next.Choices.map((r) => r.Next), next.Default];
  return targets.includes(target) ? undefined : next;
}

/** The rules that stand for `rule` followed by the Choice `next`, or undefined where that cannot be exact. */
function composed(rule: ChoiceRule, stateOutput: unknown, next: ChoiceState): ChoiceRule[] | undefined {
  const guard = asExpression(rule.Condition);
  if (guard === null || !alwaysBoolean(guard) || volatile(rule)) return undefined;
  const assigns = rule.Assign ?? {};
  const output = rule.Output ?? stateOutput;
  const replace = new Map<string, string>();
  for (const [k, v] of Object.entries(assigns)) {
    const expr = asExpression(v);
    if (expr !== null) replace.set(k, expr);
  }
  const input = output === undefined ? "$states.input" : asExpression(output);
  if (input !== null && input !== "$states.input") replace.set("states.input", input);
  const out: ChoiceRule[] = [];
  for (const second of reachedRules(next)) {
    const condition = asExpression(second.Condition);
    if (condition === null || !alwaysBoolean(condition) || volatile(second)) return undefined;
    const own = { Condition: second.Condition, Assign: second.Assign ?? {}, Output: second.Output ?? null };
    const reads = variablesRead(own);
    // What the second evaluates in its own state ($states.context, ...) is not what the first sees.
    if (!reads || reads.has("states")) return undefined;
    // A read of a value the rule assigns, or of its output, that has no expression to stand in for it.
    if ([...reads].some((r) => (r in assigns || r === "states.input") && !replace.has(r) && !(r === "states.input" && input === "$states.input"))) return undefined;
    const fields = substitute(own, replace) as typeof own | undefined;
    if (!fields) return undefined;
    const merged: ChoiceRule = { Condition: `{% (${guard}) and (${asExpression(fields.Condition)}) %}`, Next: second.Next };
    const assign = { ...assigns, ...fields.Assign };
    if (Object.keys(assign).length > 0) merged.Assign = assign;
    if (second.Output !== undefined) merged.Output = fields.Output;
    else if (output !== undefined) merged.Output = output;
    out.push(merged);
  }
  if (!defaultReached(next)) return out;
  const rest: ChoiceRule = { Condition: rule.Condition, Next: next.Default };
  if (rule.Assign !== undefined) rest.Assign = rule.Assign;
  if (output !== undefined) rest.Output = output;
  return [...out, rest];
}

const ALWAYS = "{% true %}";

/** The rules of a Choice that can be tried: up to the first that always matches. */
function reachedRules(choice: ChoiceState): ChoiceRule[] {
  const always = choice.Choices.findIndex((r) => r.Condition === ALWAYS);
  return always < 0 ? choice.Choices : choice.Choices.slice(0, always + 1);
}

function defaultReached(choice: ChoiceState): boolean {
  return !choice.Choices.some((r) => r.Condition === ALWAYS);
}

/** Drops the rules no input can reach (after one that always matches); true when some were dropped. */
function withoutUnreachedRules(choice: ChoiceState): boolean {
  const reached = reachedRules(choice);
  if (reached.length === choice.Choices.length) return false;
  choice.Choices = reached;
  return true;
}
