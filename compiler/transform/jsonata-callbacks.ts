import { Node, type ParameterDeclaration } from "ts-morph";
import { RESERVED_IDS } from "../analyze/locals.ts";
import type { CallTranslator, Kind, T } from "./jsonata-term.ts";

/**
 * An inline callback (`(t, i) => t.ok`, `function (t) { return t.ok; }`) as a JSONata function:
 * its parameters become the function's, its one expression the body. `params` are the JSONata
 * names, padded to `minParams` (JSONata passes a function as many arguments as it declares, and
 * `$reduce` wants two); `body` is the body's translation, whose guards may read the parameters and
 * so hold only inside the function (`everyElement`).
 */
export interface Callback {
  params: string[];
  body: T;
}

/**
 * The callback's body translated with its parameters bound; undefined for anything else: an
 * async, generator or named function (a name may recurse), parameters that are not plain names
 * (defaults, rest, destructuring), a block with more than one `return expr;`.
 */
export function callback(tr: CallTranslator, node: Node | undefined, kinds: Kind[], minParams: number, body: (expr: Node) => T | undefined = (e) => tr.translate(e)): Callback | undefined {
  if (!node || !(Node.isArrowFunction(node) || (Node.isFunctionExpression(node) && !node.isGenerator() && !node.getName())) || node.isAsync()) return undefined;
  const declared = node.getParameters();
  if (declared.length > kinds.length || !plainParameters(declared)) return undefined;
  const expr = returnedExpression(node.getBody());
  if (!expr) return undefined;
  const params: string[] = [];
  for (let i = 0; i < Math.max(declared.length, minParams); i++) params.push(freshName(tr, declared[i]?.getName() ?? (i === 0 ? "e" : i === 1 ? "i" : "a")));
  const bound = declared.map((_, i): T => ({ expr: `$${params[i]}`, kind: kinds[i]!, missing: false, marker: false, guards: [], atom: true }));
  for (const p of params) tr.boundNames.add(p);
  try {
    const t = withBindings(tr, declared, bound, () => body(expr));
    // A local read inside the body under one of these names would be shadowed by the parameter.
    if (!t || tr.locals.all.some((l) => params.includes(l.id))) return undefined;
    return { params: params.map((p) => `$${p}`), body: t };
  } finally {
    for (const p of params) tr.boundNames.delete(p);
  }
}

/** Parameters that are plain names: no default, no rest, not optional, no destructuring. */
export function plainParameters(params: ParameterDeclaration[]): boolean {
  return params.every((p) => Node.isIdentifier(p.getNameNode()) && !p.hasInitializer() && !p.isRestParameter() && !p.hasQuestionToken());
}

/** Runs `body` with each parameter standing for its translation, then restores what they stood for before (a recursive inlining rebinds them). */
export function withBindings<R>(tr: CallTranslator, params: Node[], values: T[], body: () => R): R {
  const saved = params.map((p) => tr.bindings.get(p));
  params.forEach((p, i) => tr.bindings.set(p, values[i]!));
  try {
    return body();
  } finally {
    params.forEach((p, i) => (saved[i] ? tr.bindings.set(p, saved[i]) : tr.bindings.delete(p)));
  }
}

/** The one expression a function body returns: an arrow's expression, or a block of exactly `return expr;`. */
export function returnedExpression(body: Node | undefined): Node | undefined {
  if (!body) return undefined;
  if (!Node.isBlock(body)) return body;
  const statements = body.getStatements();
  const only = statements.length === 1 ? statements[0] : undefined;
  return only && Node.isReturnStatement(only) ? only.getExpression() : undefined;
}

/**
 * A JSONata variable name for a parameter: the source's own where it is a plain name that no
 * JSONata or Step Functions function, enclosing callback parameter or handler local holds, else
 * `__<name><n>`.
 */
export function freshName(tr: CallTranslator, name: string): string {
  const taken = (n: string) => RESERVED_IDS.has(n) || tr.boundNames.has(n) || tr.locals.all.some((l) => l.id === n);
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !taken(name)) return name;
  const base = name.startsWith("__") ? name : `__${name.replace(/[^A-Za-z0-9_]/g, "")}`;
  let n = 1;
  while (taken(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/** The terms under which a callback's body is exact for every element: its guards, and that it is a value (no nothing, no marker). */
export function bodyTerms(body: T, value: boolean, notMarker: (x: string) => string): string[] {
  return [...body.guards, ...(value && body.missing ? [`$exists(${body.expr})`] : []), ...(value && body.marker ? [notMarker(body.expr)] : [])];
}

/** A guard that `terms` hold for each element of the array `o` (with the callback's parameters bound); none when there are no terms. */
export function everyElement(o: string, params: string[], terms: string[]): string[] {
  if (terms.length === 0) return [];
  return [`$count([$map(${o}, function(${params.join(", ")}) { $not(${terms.join(" and ")}) ? 1 })]) = 0`];
}
