import { Node } from "ts-morph";
import { bodyTerms, callback, everyElement, freshName } from "./jsonata-callbacks.ts";
import * as exact from "./jsonata-exact.ts";
import { literal, merge, operand, type CallTranslator, type Kind, type T } from "./jsonata-term.ts";

/**
 * Array methods with inline callbacks (`list.map((t) => t.id)`, `filter`, `reduce`, `some`,
 * `every`, `find`, `findIndex`) and `join`, `slice`, `concat`, on a receiver that is a JSON array
 * (the guard; a string, a marker or anything else runs in a fragment). JSONata's differences are
 * met here: a function result of one item is that item and of none is nothing (so results are
 * built inside `[...]`, which keeps them arrays), and `[x]` splices an array `x` into the list
 * (so elements that may be arrays are guarded out or appended as `[[x]]`). The callbacks' own
 * guards must hold for every element (`everyElement`), checked before the value is computed.
 */
export function arrayMethodJsonata(tr: CallTranslator, method: string, ownerNode: Node, args: Node[]): T | undefined {
  // An own entry only: `x.toString()` must not find Object.prototype.toString here.
  const build = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!build || args.some((a) => Node.isSpreadElement(a))) return undefined;
  const owner = tr.translate(ownerNode);
  if (!owner || (owner.kind !== "array" && owner.kind !== "any")) return undefined;
  const o = operand(owner);
  const receiver = [...owner.guards, ...(owner.kind === "array" && !owner.missing ? [] : [exact.typeIn(o, "array")])];
  const t = build(tr, o, args);
  return t && { ...t, guards: [...receiver, ...t.guards] };
}

type Method = (tr: CallTranslator, o: string, args: Node[]) => T | undefined;

const ELEMENT: Kind[] = ["any", "number", "array"];
const noArray = (e: string) => `$not(${exact.typeIn(e, "array")})`;
const value = (expr: string, kind: Kind, guards: string[], missing = false): T => ({ expr, kind, missing, marker: false, guards, atom: true });

/** A test callback: its truthiness, with the terms it needs for every element. */
function test(tr: CallTranslator, args: Node[], minParams: number) {
  if (args.length !== 1) return undefined;
  const cb = callback(tr, args[0], ELEMENT, minParams, (e) => tr.condition(e));
  return cb && { ...cb, cond: cb.body.expr };
}

/** Indexes of the elements that pass, as an array (`[$map(...)]`: never a lone number, never nothing). */
const passing = (o: string, params: string[], cond: string) => `[$map(${o}, function(${params.join(", ")}) { ${cond} ? ${params[1]} })]`;

const METHODS: Record<string, Method> = {
  map(tr, o, args) {
    if (args.length !== 1) return undefined;
    const cb = callback(tr, args[0], ELEMENT, 1);
    if (!cb) return undefined;
    const guards = everyElement(o, cb.params, bodyTerms(cb.body, true, exact.notMarker));
    const fn = `function(${cb.params.join(", ")}) { ${cb.body.expr} }`;
    if (cb.body.kind !== "any" && cb.body.kind !== "array") return value(`[$map(${o}, ${fn})]`, "array", guards);
    // A result that may be an array is appended as one element.
    const [acc, r] = [freshName(tr, "__acc"), freshName(tr, "__r")];
    const each = `function($${acc}, ${cb.params.join(", ")}) { ($${r} := ${cb.body.expr}; $append($${acc}, ${exact.typeIn(`$${r}`, "array")} ? [[$${r}]] : [$${r}])) }`;
    return value(`$reduce(${o}, ${each}, [])`, "array", guards);
  },
  filter(tr, o, args) {
    const cb = test(tr, args, 1);
    if (!cb) return undefined;
    // One passing element that is an array would be spliced into `[...]`.
    const guards = everyElement(o, cb.params, [noArray(cb.params[0]!), ...cb.body.guards]);
    return value(`[$filter(${o}, function(${cb.params.join(", ")}) { ${cb.cond} })]`, "array", guards);
  },
  some(tr, o, args) {
    const cb = test(tr, args, 2);
    return cb && { ...literal(`$count(${passing(o, cb.params, cb.cond)}) > 0`, "boolean"), guards: everyElement(o, cb.params, cb.body.guards), atom: false };
  },
  every(tr, o, args) {
    const cb = test(tr, args, 2);
    return cb && { ...literal(`$count(${passing(o, cb.params, `$not(${cb.cond})`)}) = 0`, "boolean"), guards: everyElement(o, cb.params, cb.body.guards), atom: false };
  },
  findIndex(tr, o, args) {
    const cb = test(tr, args, 2);
    if (!cb) return undefined;
    const f = freshName(tr, "__found");
    return value(`($${f} := ${passing(o, cb.params, cb.cond)}; $count($${f}) > 0 ? $${f}[0] : -1)`, "number", everyElement(o, cb.params, cb.body.guards));
  },
  find(tr, o, args) {
    const cb = test(tr, args, 2);
    if (!cb) return undefined;
    const f = freshName(tr, "__found");
    return value(`($${f} := ${passing(o, cb.params, cb.cond)}; $count($${f}) > 0 ? ${o}[$${f}[0]])`, "any", everyElement(o, cb.params, cb.body.guards), true);
  },
  reduce(tr, o, args) {
    if (args.length !== 1 && args.length !== 2) return undefined;
    const init = args[1] ? tr.translate(args[1]) : undefined;
    if (args[1] && !init) return undefined;
    const cb = callback(tr, args[0], ["any", ...ELEMENT], 2);
    if (!cb) return undefined;
    const ps = cb.params.join(", ");
    const initText = init ? `, ${init.expr}` : "";
    // JavaScript reduces from the first element without an initial value (and fails on none), and
    // from `undefined` when one is passed that is missing, where JSONata would start from the first.
    const guards = init ? [...init.guards, ...(init.missing ? [`$exists(${init.expr})`] : []), ...(init.marker ? [exact.notMarker(init.expr)] : [])] : [`$count(${o}) > 0`];
    const terms = bodyTerms(cb.body, true, exact.notMarker);
    // The accumulator changes from element to element, so the body's guards are checked along the
    // same fold: a term that fails makes the rest nothing.
    if (terms.length > 0) guards.push(`$exists($reduce(${o}, function(${ps}) { $exists(${cb.params[0]}) ? (${terms.join(" and ")} ? ${cb.body.expr}) }${initText}))`);
    return value(`$reduce(${o}, function(${ps}) { ${cb.body.expr} }${initText})`, init ? merge(init.kind, cb.body.kind) : "any", guards);
  },
  join(tr, o, args) {
    if (args.length > 1) return undefined;
    const sep = args[0] ? tr.translate(args[0]) : literal('","', "string");
    if (!sep || (sep.kind !== "string" && sep.kind !== "any")) return undefined;
    const sepGuards = sep.kind === "string" && !sep.missing ? sep.guards : [...sep.guards, exact.typeIn(operand(sep), "string")];
    const e = `$${freshName(tr, "e")}`;
    // null becomes "" (undefined cannot be in JSON); a number needs its JavaScript spelling; arrays and objects stay to fragments.
    const terms = [exact.typeIn(e, "string", "number", "boolean", "null"), exact.stringGuard(e)];
    const each = `function(${e}) { ${exact.typeIn(e, "null")} ? "" : ${exact.typeIn(e, "string")} ? ${e} : $string(${e}) }`;
    return value(`$join([$map(${o}, ${each})], ${sep.expr})`, "string", [...sepGuards, ...everyElement(o, [e], terms)]);
  },
  slice(tr, o, args) {
    if (args.length > 2) return undefined;
    const bounds = args.map((a) => tr.translate(a));
    if (bounds.some((b) => !b || (b.kind !== "number" && b.kind !== "any"))) return undefined;
    const [e, i] = [`$${freshName(tr, "e")}`, `$${freshName(tr, "i")}`];
    // A whole number bound counts from the end when negative, as JavaScript's does (a fraction, NaN or a non-number runs in code).
    const whole = (b: T) => b.kind === "number" && b.guards.length === 0 && /^-?[0-9]+$/.test(b.expr);
    const guards = bounds.flatMap((b) => (whole(b!) ? [] : [...b!.guards, `(${exact.typeIn(operand(b!), "number")} ? $floor(${operand(b!)}) = ${operand(b!)} : false)`]));
    const from = (b: T) => (whole(b) && !b.expr.startsWith("-") ? b.expr : `(${operand(b)} < 0 ? $count(${o}) + ${operand(b)} : ${operand(b)})`);
    const cond = [bounds[0] && `${i} >= ${from(bounds[0])}`, bounds[1] && `${i} < ${from(bounds[1])}`].filter(Boolean).join(" and ") || "true";
    return value(`[$filter(${o}, function(${e}, ${i}) { ${cond} })]`, "array", [...guards, ...everyElement(o, [e], [noArray(e)])]);
  },
  concat(tr, o, args) {
    let expr = o;
    const guards: string[] = [];
    for (const a of args) {
      const t = tr.translate(a);
      if (!t) return undefined;
      guards.push(...t.guards, ...(t.missing ? [`$exists(${t.expr})`] : []), ...(t.marker ? [exact.notMarker(t.expr)] : []));
      // An array argument is spread into the result, anything else appended, as `$append` does.
      expr = `$append(${expr}, ${t.expr})`;
    }
    return value(expr, "array", guards);
  },
};
