import { Node } from "ts-morph";
import type { Local, Locals } from "../analyze/locals.ts";
import * as exact from "./jsonata-exact.ts";
import { isStringType, literal, operand, Translator } from "./jsonata-translator.ts";

export { expression, jsonataString, literalValue, propertyOf } from "./jsonata-text.ts";

/**
 * Translates a JavaScript expression into JSONata only where the result is exactly the same for
 * every JSON value its operands may hold at run time, whatever their declared types say: a field
 * of the input, a step's result cast with `as`, a callback's answer may be missing, null or of
 * another type. Anything else returns undefined and runs in a fragment instead.
 *
 * Some formulations are exact only under a condition on the values (both operands of `+` are
 * numbers, a property's owner is an object): the translation then carries that `guard`, a JSONata
 * boolean. The states check it first and run the code in a fragment when it does not hold, which
 * costs nothing in the common case (a Choice rule, or one Choice state before a Pass).
 */
export interface Exact {
  jsonata: string;
  guard?: string;
  /** The guard's terms, to merge several translations' guards without repeating one. */
  guards?: string[];
}

/** One guard for several translations (a Pass assigning several locals), each term once. */
export function joinGuards(terms: string[]): string | undefined {
  const unique = [...new Set(terms)];
  return unique.length === 0 ? undefined : unique.join(" and ");
}

/** A value as a whole field (a return value, an invoke input): never nothing, never a marker object. */
export function valueJsonata(expr: Node, locals: Locals): Exact | undefined {
  const t = new Translator(locals).translate(expr);
  if (!t) return undefined;
  const guards = [...t.guards];
  if (t.missing) guards.push(`$exists(${t.expr})`);
  if (t.marker) guards.push(exact.notMarker(t.expr));
  return exactOf(t.expr, guards);
}

/** A value assigned to a local (a Pass's Assign): a marker is copied as it is; nothing becomes the undefined marker. */
export function assignedJsonata(expr: Node, locals: Locals): Exact | undefined {
  const t = new Translator(locals).translate(expr);
  return t && exactOf(t.missing ? exact.orUndefinedMarker(t.expr) : t.expr, t.guards);
}

/**
 * `const [a, b] = value`: each element by its index (past the end, the undefined marker), where
 * the value is an array, whose iterator gives its elements in order; anything else (a string, a
 * Set, a value with no iterator) a fragment destructures.
 */
export function elementsJsonata(value: Node, count: number, locals: Locals): Exact[] | undefined {
  const t = new Translator(locals).translate(value);
  if (!t || (t.kind !== "array" && t.kind !== "any")) return undefined;
  const v = operand(t);
  const guards = t.kind === "array" && !t.missing ? t.guards : [...t.guards, exact.typeIn(v, "array")];
  return Array.from({ length: count }, (_, i) => exactOf(exact.orUndefinedMarker(`${v}[${i}]`), guards));
}

/** `left += right` / `left -= right` / `left++`: the value assigned, computed as the binary operator would. */
export function compoundJsonata(left: Node, operator: "+" | "-", right: Node | 1, locals: Locals, stringly = operator === "+" && isStringType(left.getType())): Exact | undefined {
  const translator = new Translator(locals);
  const [l, r] = [translator.translate(left), right === 1 ? literal("1", "number") : translator.translate(right)];
  const t = l && r ? translator.arithmetic(operator, l, r, stringly) : undefined;
  return t && exactOf(t.expr, t.guards);
}

/** A condition: JavaScript's truthiness of the value, whatever it is. */
export function conditionJsonata(expr: Node, locals: Locals): Exact | undefined {
  const t = new Translator(locals).condition(expr);
  return t && exactOf(t.expr, t.guards);
}

/**
 * A `switch`: for each case, JSONata true when the discriminant `===` that case (the first true
 * one is taken, as JavaScript takes the first match), under one guard for all of them.
 */
export function switchJsonata(discriminant: Node, cases: Node[], locals: Locals): { conditions: string[]; guard?: string } | undefined {
  const translator = new Translator(locals);
  const d = translator.translate(discriminant);
  if (!d) return undefined;
  const conditions: string[] = [];
  const guards = [...d.guards];
  for (const c of cases) {
    const t = translator.translate(c);
    const eq = t && translator.strictEquals(d, t, false);
    if (!eq) return undefined;
    guards.push(...eq.guards);
    conditions.push(eq.expr);
  }
  return { conditions, guard: joinGuards(guards) };
}

/** A local's own value as a whole field (a return of the temporary that holds it): exact unless it holds a marker. */
export function localJsonata(local: Local): Exact | undefined {
  if (local.isContext || local.errorRecord || local.codeOnly) return undefined;
  return exactOf(`$${local.id}`, [exact.notMarker(`$${local.id}`)]);
}

/**
 * `list.push(a, b)` as a statement, on a local no other local shares (selection.ts makes shared
 * ones code only): the list with the items appended, where it is an array and each item could
 * be an element of an array literal.
 */
export function pushJsonata(list: Node, items: Node[], locals: Locals): Exact | undefined {
  const translator = new Translator(locals);
  const [target, added] = [Node.isIdentifier(list) ? translator.translate(list) : undefined, translator.arrayOf(items)];
  if (!target || !added || items.length === 0) return undefined;
  return exactOf(`$append(${target.expr}, ${added.expr})`, [...target.guards, exact.typeIn(target.expr, "array"), ...added.guards]);
}

/** `[...value]` of a for…of: the value itself, when it is an array (a string or an encoded value is iterated by a fragment). */
export function iteratedJsonata(expr: Node, locals: Locals): Exact | undefined {
  const t = new Translator(locals).translate(expr);
  if (!t || (t.kind !== "array" && t.kind !== "any")) return undefined;
  return exactOf(t.expr, t.kind === "array" && !t.missing ? t.guards : [...t.guards, exact.typeIn(operand(t), "array")]);
}

/**
 * A wait's computed `Duration` as seconds, as the fragments add it up (runtime/fragments/dispatcher.ts,
 * durationSeconds): an object literal of days, hours, minutes and seconds, each a number small
 * enough that the sum stays finite.
 */
export function durationJsonata(node: Node, locals: Locals): Exact | undefined {
  if (!Node.isObjectLiteralExpression(node)) return undefined;
  const translator = new Translator(locals);
  const values: Record<string, string> = {};
  const guards: string[] = [];
  for (const prop of node.getProperties()) {
    const name = Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) ? prop.getName() : undefined;
    const value = Node.isPropertyAssignment(prop) ? translator.translate(prop.getInitializerOrThrow()) : Node.isShorthandPropertyAssignment(prop) ? translator.translate(prop.getNameNode()) : undefined;
    if (!name || !(name in DURATION_UNITS) || name in values || !value || (value.kind !== "number" && value.kind !== "any")) return undefined;
    const small = value.kind === "number" && value.atom && value.guards.length === 0 && Math.abs(Number(value.expr)) <= exact.DURATION_LIMIT;
    guards.push(...value.guards, ...(small ? [] : [exact.finiteNumber(operand(value), exact.DURATION_LIMIT)]));
    values[name] = operand(value);
  }
  const sum = Object.entries(DURATION_UNITS).map(([unit, factor], i) => (i === 3 ? (values[unit] ?? "0") : `${values[unit] ?? "0"} * ${factor}`));
  return exactOf(sum.join(" + "), guards);
}

const DURATION_UNITS: Record<string, number> = { days: 86400, hours: 3600, minutes: 60, seconds: 1 };

/** `String(value)`: an operation's computed name. */
export function stringJsonata(expr: Node, locals: Locals): Exact | undefined {
  const translator = new Translator(locals);
  const t = translator.translate(expr);
  const s = t && translator.stringOf(t);
  return s && exactOf(s.expr, s.guards);
}

function exactOf(jsonata: string, guards: string[]): Exact {
  const guard = joinGuards(guards);
  return guard === undefined ? { jsonata } : { jsonata, guard, guards: [...new Set(guards)] };
}
