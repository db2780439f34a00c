import { expressionAst } from "../../asl/index.ts";

/**
 * Reading and rewriting the `{% ... %}` expressions of a state, for the folds: which variables a
 * value reads, and the same value with some reads replaced by other expressions. The jsonata
 * parser finds the reads (never a regular expression: `"$x"` in a string literal is no read). A
 * rewrite is refused where it would replace a name the expression binds itself (a lambda
 * parameter, a `:=`), or put in a replacement that reads one (it would be captured).
 */

type AstNode = { type: string; value?: unknown; position?: number; steps?: AstNode[]; [k: string]: unknown };

/** A read to replace: `$name`, or `$states.input` (name `states.input`). */
interface Read {
  name: string;
  start: number;
  end: number;
}

const isExpression = (s: string) => s.startsWith("{%") && s.endsWith("%}");

function parse(body: string): AstNode | null {
  try {
    return expressionAst(body) as AstNode;
  } catch {
    return null;
  }
}

/** The variable reads of an expression body, with their spans, and the names it binds itself (lambda parameters, `:=`). */
function readsOf(body: string): { reads: Read[]; bound: Set<string> } | null {
  const ast = parse(body);
  if (!ast) return null;
  const reads: Read[] = [];
  const bound = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const n = node as AstNode;
    if (n.type === "lambda") for (const a of (n.arguments as AstNode[]) ?? []) bound.add(String(a.value));
    if (n.type === "bind") bound.add(String((n.lhs as AstNode).value));
    if (n.type === "path" && n.steps?.[0]?.type === "variable" && n.steps[0].value === "states" && n.steps[1]?.type === "name" && n.steps[1].value === "input") {
      const end = n.steps[1].position!;
      reads.push({ name: "states.input", start: end - "$states.input".length, end });
      n.steps.slice(2).forEach(visit);
      return;
    }
    if (n.type === "variable" && typeof n.value === "string" && n.position !== undefined) {
      reads.push({ name: n.value, start: n.position - n.value.length - 1, end: n.position });
    }
    for (const [key, child] of Object.entries(n)) if (key !== "position") visit(child);
  };
  visit(ast);
  // The spans must spell what they read (no spaces, no backquoted names), or they cannot be replaced safely.
  if (reads.some((r) => body.slice(r.start, r.end) !== `$${r.name}`)) return null;
  // Reads of a bound name stay in: which of them mean the variable depends on scope, so a rewrite of that name is refused.
  return { reads, bound };
}

/** The names a replacement expression reads: a name bound where it is put would capture them. */
function freeNames(expression: string): string[] {
  const found = readsOf(expression);
  return found ? found.reads.map((r) => r.name.split(".")[0]!) : ["*"];
}

/** The strings of a field value, at any depth. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** The variables a field value reads (`states.input` for `$states.input`, `states` for any other `$states` read); null if unreadable. */
export function variablesRead(value: unknown): Set<string> | null {
  const names = new Set<string>();
  for (const s of strings(value)) {
    if (!isExpression(s)) continue;
    const found = readsOf(s.slice(2, -2));
    if (!found) return null;
    for (const r of found.reads) names.add(r.name);
  }
  return names;
}

/**
 * The value with each read of a name in `replace` swapped for that JSONata expression (in
 * parentheses); undefined (never a JSON value) where that cannot be done safely. A name not read
 * leaves the value as it was.
 */
export function substitute(value: unknown, replace: Map<string, string>): unknown {
  if (typeof value === "string") {
    if (!isExpression(value)) return value;
    const body = value.slice(2, -2);
    const found = readsOf(body);
    if (!found) return undefined;
    // A name the expression binds itself must be neither replaced nor read by a replacement (it would capture it).
    if (found.bound.size > 0) {
      const touched = [...replace].filter(([name]) => found.reads.some((r) => r.name === name));
      if (touched.some(([name, by]) => found.bound.has(name.split(".")[0]!) || freeNames(by).some((f) => f === "*" || found.bound.has(f)))) return undefined;
    }
    let out = body;
    for (const r of [...found.reads].sort((a, b) => b.start - a.start)) {
      const by = replace.get(r.name);
      if (by !== undefined) out = `${out.slice(0, r.start)}(${by})${out.slice(r.end)}`;
    }
    return `{%${out}%}`;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => substitute(v, replace));
    return items.includes(undefined) ? undefined : items;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, substitute(v, replace)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** A field value as one JSONata expression body: `{% e %}` is `e`, a JSON value without expressions is its JSON text. */
export function asExpression(value: unknown): string | null {
  if (typeof value === "string" && isExpression(value)) return value.slice(2, -2).trim();
  if (strings(value).some(isExpression)) return null;
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * Whether an expression body evaluates to a boolean for any input, or fails (never `undefined`,
 * never another type): `=`, `!=`, `and`, `or`, `in`, `$exists(...)`, boolean literals, a
 * comparison of two values that are never undefined, and `$not`, a block or a ternary of such.
 * A Choice Condition that is not a boolean fails the state, while the same expression as an
 * operand of `and` would be cast: a condition moved into an `and` must be one of these.
 */
export function alwaysBoolean(body: string): boolean {
  const ast = parse(body);
  const found = ast && readsOf(body);
  return ast !== null && !!found && booleanNode(ast, found.bound);
}

const BOOLEAN_OPERATORS = new Set(["=", "!=", "and", "or", "in"]);
const COMPARISONS = new Set(["<", "<=", ">", ">="]);
const ARITHMETIC = new Set(["+", "-", "*", "/", "%"]);

const last = (n: AstNode) => (n.expressions as AstNode[]).at(-1) ?? { type: "none" };

function booleanNode(n: AstNode, bound: Set<string>): boolean {
  if (n.type === "value") return typeof n.value === "boolean";
  if (n.type === "binary" && COMPARISONS.has(String(n.value))) return definedNode(n.lhs as AstNode, bound) && definedNode(n.rhs as AstNode, bound);
  if (n.type === "binary") return BOOLEAN_OPERATORS.has(String(n.value));
  if (n.type === "block") return booleanNode(last(n), bound);
  if (n.type === "condition") return n.else !== undefined && booleanNode(n.then as AstNode, bound) && booleanNode(n.else as AstNode, bound);
  const fn = functionName(n);
  const args = (n.arguments as AstNode[]) ?? [];
  if (fn === "exists") return args.length === 1;
  if (fn === "not") return args.length === 1 && booleanNode(args[0]!, bound);
  return false;
}

/**
 * Whether an expression is never `undefined` (a value, or an error): a variable (an ASL variable
 * always holds a value; reading one never assigned fails), a number or string literal, `$count`,
 * and arithmetic or numeric functions (`$abs`, `$floor`, ...) of such (a number, or an error for any other operand).
 */
function definedNode(n: AstNode, bound: Set<string>): boolean {
  if (n.type === "number" || n.type === "string") return true;
  if (n.type === "variable") return typeof n.value === "string" && n.value !== "" && n.value !== "states" && !bound.has(n.value);
  if (n.type === "binary" && ARITHMETIC.has(String(n.value))) return definedNode(n.lhs as AstNode, bound) && definedNode(n.rhs as AstNode, bound);
  if (n.type === "unary" && n.value === "-") return definedNode(n.expression as AstNode, bound);
  if (n.type === "block") return definedNode(last(n), bound);
  const fn = functionName(n);
  const args = (n.arguments as AstNode[]) ?? [];
  if (fn === "count") return args.length === 1;
  return fn !== undefined && NUMERIC.has(fn) && args.length > 0 && args.every((a) => definedNode(a, bound));
}

/** Functions that, given values, return a value or fail (never `undefined`). */
const NUMERIC = new Set(["abs", "floor", "ceil", "round", "power", "sqrt", "string", "length"]);

const functionName = (n: AstNode) => (n.type === "function" && (n.procedure as AstNode)?.type === "variable" ? String((n.procedure as AstNode).value) : undefined);

/** Functions whose value differs between two evaluations: an expression calling one cannot be copied into another. */
const VOLATILE = /\$(now|millis|random|uuid)\s*\(/;

export function volatile(value: unknown): boolean {
  return strings(value).some((s) => isExpression(s) && VOLATILE.test(s));
}
