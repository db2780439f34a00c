import type { AslState } from "../transform/asl-types.ts";
import { StateNamer } from "../transform/names.ts";
import type { StateGraph } from "../transform/operation-site.ts";
import { graphsOf, type Graph } from "./graph.ts";

/**
 * Names a person reads in the console: a state the transform named by its kind and line
 * (`Code-line-32`, `If-line-42`, `Compute-result-line-59`) is named after the code it runs or
 * tests, its first words read from the source at the state's position (`If-event-mode-full`,
 * `Code-amountCents-orderTotalCents-event`). Names stay unique (StateNamer adds `-2`, `-3` in
 * definition order), valid and the same on every build; fragment ids (the Task payload's
 * `fragment`) do not change, only the states' names.
 */
const LINE_NAMED = /^(Code|Evaluate|Compute-result|If|Loop|Switch|Return|Check)-line-(\d+)(-\d+)?$/;
const PREFIX: Record<string, string> = { Code: "Code", Evaluate: "Evaluate", "Compute-result": "Result", If: "If", Loop: "Loop", Switch: "Switch", Return: "Return", Check: "Check" };
/** Named after the statement on the line in their name (a return, a guarded statement), not their source-map position. */
const BY_LINE = new Set(["Compute-result", "Return", "Check"]);
/** How many lines a statement that starts with `return {` is read over, for its object's keys. */
const OBJECT_LINES = 12;
const NOISE = new Set(["const", "let", "var", "await", "return", "if", "while", "for", "switch", "do", "of", "in", "as", "new", "typeof", "void", "else", "catch", "try"]);
/** Where a durable call starts, the code of this state has ended: the rest is the operation's. */
const STOP = new Set(["async"]);
const DURABLE_CALL = /[\w$]+\s*\.\s*(?:step|wait|waitForCallback|waitForCondition|invoke|map|parallel|runInChildContext|createCallback|promise)\b/;
const MAX_WORDS = 6;
/** A durable call named by a string literal, and its name. */
const OPERATION_NAME = new RegExp(DURABLE_CALL.source + /\s*\(\s*["'`]([^"'`$]+)["'`]/.source);
/** Operators as words, so that a condition keeps its sense (`!v.ok` is `not-v-ok`, not `v-ok`). */
const OPERATORS: Record<string, string> = { "!": "not", "===": "is", "==": "is", "!==": "is-not", "!=": "is-not", "<": "lt", ">": "gt", "<=": "le", ">=": "ge", "&&": "and", "||": "or", "??": "or" };

/** The first words of the code at a position: identifiers and literals, without keywords. */
function wordsAt(lines: string[], line: number, column: number): string[] {
  const text = (lines[line - 1] ?? "").slice(Math.max(0, column - 1)).split(DURABLE_CALL)[0]!;
  const words: string[] = [];
  for (const w of text.match(/[A-Za-z_$][\w$]*|\d+(\.\d+)?|"[^"]*"|'[^']*'|===|!==|==|!=|<=|>=|&&|\|\||\?\?|[!<>]/g) ?? []) {
    if (STOP.has(w)) break;
    const word = OPERATORS[w] ?? w.replace(/["'$]/g, "");
    if (word && !NOISE.has(word)) words.push(word);
  }
  return words.slice(0, MAX_WORDS);
}

/**
 * The words of the statement on a line, for a return, its result's fragment and a guard: a
 * returned object literal is named by its first key with a string literal value
 * (`return { orderId, status: "out-of-stock", ... }` is `status-out-of-stock`), else by its keys;
 * any other statement by its first words, read on to the next lines while the first has none
 * (`return {` alone on its line).
 */
function statementWords(lines: string[], line: number): string[] {
  const text = lines.slice(line - 1, line - 1 + OBJECT_LINES).join("\n");
  const returned = /^\s*(?:return\s*)?\{|\breturn\s*\{/.exec(text);
  const object = returned && returned.index < (lines[line - 1] ?? "").length ? objectWords(text.slice(returned.index)) : [];
  if (object.length > 0) return object;
  for (let l = line; l < line + 3 && l <= lines.length; l++) {
    const words = wordsAt(lines, l, 1);
    if (words.length > 0 || DURABLE_CALL.test(lines[l - 1] ?? "")) return words;
  }
  return [];
}

/** The top-level keys of the object literal a text starts with (after `return`; spreads left out), or its first key with a string literal value and that value. */
function objectWords(text: string): string[] {
  const start = text.indexOf("{");
  let depth = 0;
  let top = "";
  for (const ch of text.slice(start)) {
    if ("{[(".includes(ch)) depth++;
    else if ("}])".includes(ch)) depth--;
    else if (depth === 1) top += ch;
    if (depth === 0) break;
  }
  const literal = /(?:^|,)\s*([A-Za-z_$][\w$]*)\s*:\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*(?=,|$)/.exec(top);
  if (literal) return [literal[1]!, (literal[2] ?? literal[3])!];
  const keys = [...top.matchAll(/(?:^|,)\s*([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!);
  return keys.slice(0, 4);
}

export function readableNames(graph: StateGraph, sourceText: string): void {
  const lines = sourceText.split("\n");
  const graphs = graphsOf({ StartAt: graph.startAt, States: graph.states });
  const all = graphs.flatMap((g) => Object.keys(g.States));
  const namer = new StateNamer();
  for (const name of all) if (!LINE_NAMED.test(name)) namer.name(name);
  const renamed = new Map<string, string>();
  // A name kept can still meet one given before it (code that reads `line - 5`): it then moves aside.
  const keep = (name: string) => {
    const kept = namer.name(name);
    if (kept !== name) renamed.set(name, kept);
  };
  for (const name of all) {
    const match = LINE_NAMED.exec(name);
    if (!match) continue;
    const entry = graph.sourceMap[name];
    let words = BY_LINE.has(match[1]!) ? statementWords(lines, Number(match[2])) : entry ? wordsAt(lines, entry.line, entry.column) : [];
    // Code that only works out an operation's inputs (`context.wait("pause", { hours: 2 * round })`) is named after it.
    const operation = words.length === 0 ? OPERATION_NAME.exec(lines[Number(match[2]) - 1] ?? "") : null;
    if (operation) words = [operation[1]!, "input"];
    if (words.length === 0) {
      keep(name);
      continue;
    }
    renamed.set(name, namer.name(`${PREFIX[match[1]!]}-${words.join("-")}`));
  }
  if (renamed.size === 0) return;
  for (const g of graphs) renameIn(g, renamed);
  graph.startAt = renamed.get(graph.startAt) ?? graph.startAt;
  graph.states = graphs[0]!.States;
  graph.sourceMap = Object.fromEntries(
    Object.entries(graph.sourceMap).map(([name, entry]) => {
      const pollOf = entry.pollOf && renamed.get(entry.pollOf);
      return [renamed.get(name) ?? name, pollOf ? { ...entry, pollOf } : entry];
    }),
  );
}

function renameIn(g: Graph, renamed: Map<string, string>): void {
  const to = (n: string) => renamed.get(n) ?? n;
  g.StartAt = to(g.StartAt);
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(g.States)) {
    const s = state as AslState & { Next?: string; Default?: string; Choices?: Array<{ Next: string }>; Catch?: Array<{ Next: string }> };
    if (s.Next) s.Next = to(s.Next);
    if (s.Default) s.Default = to(s.Default);
    for (const rule of s.Choices ?? []) rule.Next = to(rule.Next);
    for (const catcher of s.Catch ?? []) catcher.Next = to(catcher.Next);
    states[to(name)] = state;
  }
  // Keys in the same order, in place: the Map and Parallel states hold their graphs by reference.
  for (const key of Object.keys(g.States)) delete g.States[key];
  Object.assign(g.States, states);
}
