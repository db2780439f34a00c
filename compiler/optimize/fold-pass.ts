import type { AslState, ChoiceRule, ChoiceState, PassState } from "../transform/asl-types.ts";
import { MAX_RULES } from "./fold-choice.ts";
import { assignsIntoChoice } from "./assign-into-choice.ts";
import type { SourceMapEntry } from "../transform/operation-site.ts";
import { asExpression, substitute, variablesRead } from "./jsonata-text.ts";
import { catchesEvaluationErrors, edgesInto, outputExpression, redirect, removable, type Edge, type Graph } from "./graph.ts";

/**
 * Folds a Pass state that only assigns variables (no Output: its output is its input) into the
 * states that lead to it: its assignments join theirs, rewritten to read what the Pass read there
 * (its input is their output; the variables they assign are not yet assigned when their own
 * Assign runs, ASL evaluating every Assign against the values at state entry). A Pass with no
 * Assign at all is a plain hop and goes away from every way in. One transition fewer each time.
 */
export function foldPasses(graph: Graph, sourceMap: Record<string, SourceMapEntry>): boolean {
  let changed = false;
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type !== "Pass" || state.Output !== undefined || !state.Next || state.Next === name || !removable(sourceMap[name])) continue;
    const assigns = state.Assign ?? {};
    const edges = edgesInto(graph, name);
    for (const edge of edges) {
      if (edge.kind === "default" && Object.keys(assigns).length > 0) {
        if (defaultIntoRule(graph, edge.from, assigns, state.Next)) changed = true;
        continue;
      }
      if (Object.keys(assigns).length > 0 && !mergeInto(graph, edge, assigns)) continue;
      redirect(graph, edge, state.Next);
      changed = true;
    }
    if (edgesInto(graph, name).length === 0) {
      delete graph.States[name];
      delete sourceMap[name];
    } else if (forwardInto(graph, name, state, sourceMap)) changed = true;
  }
  return changed;
}

/**
 * Where the assignments go on this way in: the block to extend (`own`), everything the host
 * assigns there (`assigned`), what the Pass's input is there, and the state that evaluates it.
 * Not a Choice's Default: a Choice's own Assign applies whichever rule matches (emulator,
 * states/choice.ts), so it cannot carry what only the Default path assigns.
 */
interface Host {
  own: Record<string, unknown>;
  assigned: Record<string, unknown>;
  input: string | null;
  state: AslState;
  set: (a: Record<string, unknown>) => void;
}

function hostOf(graph: Graph, edge: Edge): Host | null {
  if (edge.kind === "start" || edge.kind === "catch" || edge.kind === "default") return null;
  const state = graph.States[edge.from]!;
  if (state.Type === "Fail") return null;
  if (edge.kind === "next") {
    const own = state.Assign ?? {};
    return { own, assigned: own, input: outputExpression(state), state, set: (a) => ((state as PassState).Assign = a) };
  }
  const rule = edge.rule;
  const output = rule.Output ?? state.Output;
  const input = output === undefined ? "$states.input" : asExpression(output);
  const own = rule.Assign ?? {};
  return { own, assigned: { ...(state.Assign ?? {}), ...own }, input, state, set: (a) => (rule.Assign = a) };
}

function mergeInto(graph: Graph, edge: Edge, assigns: Record<string, unknown>): boolean {
  const host = hostOf(graph, edge);
  if (!host || host.input === null || catchesEvaluationErrors(host.state)) return false;
  const reads = variablesRead(assigns);
  if (!reads || reads.has("states")) return false;
  const replace = new Map<string, string>();
  if (host.input !== "$states.input") replace.set("states.input", host.input);
  for (const [k, v] of Object.entries(host.assigned)) {
    if (!reads.has(k)) continue;
    const expr = asExpression(v);
    if (expr === null) return false;
    replace.set(k, expr);
  }
  const rewritten = substitute(assigns, replace) as Record<string, unknown> | undefined;
  if (!rewritten) return false;
  host.set({ ...host.own, ...rewritten });
  return true;
}

/**
 * A Choice's Default cannot carry assignments, but a last rule that always matches can: the
 * Pass's assignments join that rule's Assign and it goes on to the Pass's Next (the Default,
 * now never taken, too). Not where the Choice has an Assign of its own (whether it applies with
 * a matching rule is read differently by the docs and the emulator).
 */
function defaultIntoRule(graph: Graph, from: string, assigns: Record<string, unknown>, next: string): boolean {
  const choice = graph.States[from] as ChoiceState;
  if (choice.Assign !== undefined || choice.Choices.length >= MAX_RULES) return false;
  const rule: ChoiceRule = { Condition: "{% true %}", Next: choice.Default };
  choice.Choices.push(rule);
  const edge: Edge = { kind: "rule", from, rule };
  if (!mergeInto(graph, edge, assigns)) {
    choice.Choices.pop();
    return false;
  }
  rule.Next = next;
  choice.Default = next;
  return true;
}

/** Fields of a state that are evaluated when it runs (not its wiring). */
const WIRING = new Set(["Type", "Comment", "Next", "End", "Default", "Retry", "Catch", "Choices", "ItemProcessor", "Branches"]);

/**
 * The other way: a Pass whose assignments cannot fail (each value is its input or a literal),
 * reached only from where its assignments could not be merged (the graph's start), folds into
 * the one state after it when nothing else leads there: that state reads the values directly,
 * and assigns them itself (on success, and in each of its catchers). Not into a Map or a
 * Parallel (their items read the variables before the state's own Assign has run). Into a
 * Choice, any assignments: it has no catcher to see them fail (assign-into-choice.ts).
 */
function forwardInto(graph: Graph, name: string, pass: PassState, sourceMap: Record<string, SourceMapEntry>): boolean {
  const assigns = pass.Assign ?? {};
  const safe = Object.values(assigns).every((v) => asExpression(v) === "$states.input" || asExpression(v) === JSON.stringify(v));
  const nextName = pass.Next!;
  const next = graph.States[nextName];
  if (next?.Type === "Choice" && edgesInto(graph, nextName).length === 1) {
    if (!assignsIntoChoice(next, assigns)) return false;
    for (const edge of edgesInto(graph, name)) redirect(graph, edge, nextName);
    delete graph.States[name];
    delete sourceMap[name];
    return true;
  }
  if (!safe || !next || !["Task", "Pass", "Wait"].includes(next.Type)) return false;
  if (edgesInto(graph, nextName).length !== 1) return false;
  const replace = new Map(Object.entries(assigns).map(([k, v]) => [k, asExpression(v)!]));
  const rewritten: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(next)) {
    if (WIRING.has(field)) continue;
    const v = substitute(value, replace);
    if (v === undefined) return false;
    rewritten[field] = v;
  }
  const catchers = [];
  for (const catcher of ("Catch" in next && next.Catch) || []) {
    const fields = substitute({ Assign: catcher.Assign ?? {}, Output: catcher.Output ?? null }, replace) as { Assign: Record<string, unknown>; Output: unknown } | undefined;
    if (!fields) return false;
    catchers.push({ ...catcher, Assign: { ...assigns, ...fields.Assign }, ...(catcher.Output !== undefined && { Output: fields.Output }) });
  }
  Object.assign(next, rewritten, { Assign: { ...assigns, ...((rewritten.Assign as Record<string, unknown>) ?? {}) } });
  if (catchers.length > 0) (next as { Catch: unknown }).Catch = catchers;
  for (const edge of edgesInto(graph, name)) redirect(graph, edge, nextName);
  delete graph.States[name];
  delete sourceMap[name];
  return true;
}
