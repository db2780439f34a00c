import { Node, SyntaxKind, type Expression, type Type } from "ts-morph";
import type { Local, Locals } from "../analyze/locals.ts";
import { isUntouchedCatchBinding } from "./caught.ts";
import * as exact from "./jsonata-exact.ts";

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

/** The JSON type a translation yields when its guards hold; "any" for any JSON value. */
type Kind = "string" | "number" | "boolean" | "null" | "object" | "array" | "any";

interface T {
  expr: string;
  kind: Kind;
  /** May yield nothing (JavaScript's undefined: a missing property). */
  missing: boolean;
  /** May be a local's marker object (protocol/markers.ts) rather than the value it stands for. */
  marker: boolean;
  /** Conditions under which `expr` is exact, in evaluation order (each may assume the earlier ones hold). */
  guards: string[];
  /** Needs no parentheses as an operand. */
  atom: boolean;
}

function literal(expr: string, kind: Kind): T {
  return { expr, kind, missing: false, marker: false, guards: [], atom: true };
}

function isStringType(type: Type): boolean {
  if (type.isUnion()) return type.getUnionTypes().every(isStringType);
  return type.isString() || type.isStringLiteral() || type.isTemplateLiteral();
}

/**
 * Declared types may refuse a translation, never allow one: an Error (travels as a marker that
 * only fragments decode) or a function is left to fragments.
 */
function refusedByType(type: Type): boolean {
  if (type.getCallSignatures().length > 0) return true;
  if (type.isUnion()) return type.getUnionTypes().some(refusedByType);
  return Boolean(type.getProperty("stack") && type.getProperty("message"));
}

const merge = (a: Kind, b: Kind): Kind => (a === b ? a : "any");
const operand = (t: T): string => (t.atom ? t.expr : `(${t.expr})`);

class Translator {
  constructor(private readonly locals: Locals) {}

  translate(node: Node): T | undefined {
    if (Node.isParenthesizedExpression(node)) {
      const inner = this.translate(node.getExpression());
      return inner && { ...inner, expr: `(${inner.expr})`, atom: true };
    }
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return literal(jsonataString(node.getLiteralValue()), "string");
    if (Node.isNumericLiteral(node)) {
      const value = node.getLiteralValue();
      return Number.isFinite(value) ? literal(String(value), "number") : undefined;
    }
    if (node.getKind() === SyntaxKind.TrueKeyword) return literal("true", "boolean");
    if (node.getKind() === SyntaxKind.FalseKeyword) return literal("false", "boolean");
    if (node.getKind() === SyntaxKind.NullKeyword) return literal("null", "null");
    if (Node.isIdentifier(node)) return this.identifier(node);
    // A type assertion does not change the value (`(error as Error).message`).
    if (Node.isAsExpression(node) || Node.isNonNullExpression(node) || Node.isTypeAssertion(node)) return this.translate(node.getExpression());
    if (Node.isPropertyAccessExpression(node)) return this.property(node);
    if (Node.isPrefixUnaryExpression(node)) {
      const token = node.getOperatorToken();
      const operandNode = node.getOperand();
      if (token === SyntaxKind.ExclamationToken) {
        const c = this.condition(operandNode);
        return c && { ...c, expr: `$not(${c.expr})`, atom: true };
      }
      // A negative number literal; -0 would lose its sign in an ASL Variable.
      if (token === SyntaxKind.MinusToken && Node.isNumericLiteral(operandNode) && operandNode.getLiteralValue() !== 0) {
        return literal(`-${operandNode.getLiteralValue()}`, "number");
      }
      return undefined;
    }
    if (Node.isBinaryExpression(node)) return this.binary(node);
    if (Node.isConditionalExpression(node)) {
      const c = this.condition(node.getCondition());
      const [a, b] = [this.translate(node.getWhenTrue()), this.translate(node.getWhenFalse())];
      if (!c || !a || !b) return undefined;
      return { expr: `(${c.expr} ? ${a.expr} : ${b.expr})`, kind: merge(a.kind, b.kind), missing: a.missing || b.missing, marker: a.marker || b.marker, guards: [...c.guards, ...a.guards, ...b.guards], atom: true };
    }
    if (Node.isTemplateExpression(node)) {
      const parts = [jsonataString(node.getHead().getLiteralText())];
      const guards: string[] = [];
      for (const span of node.getTemplateSpans()) {
        const inner = this.translate(span.getExpression());
        const s = inner && this.stringOf(inner);
        if (!s) return undefined;
        guards.push(...s.guards);
        parts.push(operand(s), jsonataString(span.getLiteral().getLiteralText()));
      }
      return { expr: parts.filter((p) => p !== '""').join(" & ") || '""', kind: "string", missing: false, marker: false, guards, atom: false };
    }
    if (Node.isObjectLiteralExpression(node)) return this.object(node);
    if (Node.isArrayLiteralExpression(node)) return this.array(node.getElements());
    if (Node.isElementAccessExpression(node)) return this.element(node.getExpression(), node.getArgumentExpression());
    if (Node.isCallExpression(node)) return this.call(node);
    return undefined;
  }

  /**
   * `[a, b]`: JSONata's array constructor splices an array element into the list and drops
   * nothing, so each element must exist, be no marker and no array (nested arrays stay to fragments).
   */
  arrayOf(elements: Node[]): T | undefined {
    return this.array(elements);
  }

  private array(elements: Node[]): T | undefined {
    const items: string[] = [];
    const guards: string[] = [];
    for (const element of elements) {
      const t = Node.isOmittedExpression(element) || Node.isSpreadElement(element) ? undefined : this.translate(element);
      if (!t || t.kind === "array") return undefined;
      guards.push(...t.guards);
      if (t.missing) guards.push(`$exists(${t.expr})`);
      if (t.marker) guards.push(exact.notMarker(t.expr));
      if (t.kind === "any") guards.push(`$not(${exact.typeIn(operand(t), "array")})`);
      items.push(t.expr);
    }
    return { expr: `[${items.join(", ")}]`, kind: "array", missing: false, marker: false, guards, atom: true };
  }

  /** `x.includes(v)`: on an array, `v` a primitive (compared as `===` would, no identity involved); on a string, `v` a string. */
  private call(node: Node & { getExpression(): Node; getArguments(): Node[] }): T | undefined {
    const callee = node.getExpression();
    const args = node.getArguments();
    if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken() || callee.getName() !== "includes" || args.length !== 1) return undefined;
    const [owner, value] = [this.translate(callee.getExpression()), this.translate(args[0]!)];
    if (!owner || !value || !["array", "string", "any"].includes(owner.kind)) return undefined;
    const [o, v] = [operand(owner), operand(value)];
    const onArray = `${exact.typeIn(o, "array")} and ${exact.typeIn(v, "string", "number", "boolean", "null")}`;
    const onString = `${exact.typeIn(o, "string")} and ${exact.typeIn(v, "string")}`;
    return { ...literal(`(${exact.typeIn(o, "array")} ? ${v} in ${o} : $contains(${o}, ${v}))`, "boolean"), guards: [...owner.guards, ...value.guards, `(${onArray} or ${onString})`] };
  }

  /** `a[i]` on an array and a whole index within it; anything else (a key, a fraction, past the end) runs in a fragment. */
  private element(ownerNode: Node, indexNode: Node | undefined): T | undefined {
    const [owner, index] = [this.translate(ownerNode), indexNode && this.translate(indexNode)];
    if (!owner || !index || (owner.kind !== "array" && owner.kind !== "any") || (index.kind !== "number" && index.kind !== "any")) return undefined;
    const [o, i] = [operand(owner), operand(index)];
    const guards = [...owner.guards, ...index.guards, exact.arrayIndex(o, i)];
    return { expr: `${o}[${i}]`, kind: "any", missing: false, marker: false, guards, atom: true };
  }

  /** A condition as a JSONata boolean: `&&`, `||` and `!` combine the operands' truthiness. */
  condition(node: Node): T | undefined {
    if (Node.isParenthesizedExpression(node)) return this.condition(node.getExpression());
    if (Node.isBinaryExpression(node)) {
      const op = node.getOperatorToken().getKind();
      if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken) {
        const [l, r] = [this.condition(node.getLeft()), this.condition(node.getRight())];
        if (!l || !r) return undefined;
        const word = op === SyntaxKind.AmpersandAmpersandToken ? "and" : "or";
        return { ...literal(`(${l.expr} ${word} ${r.expr})`, "boolean"), guards: [...l.guards, ...r.guards] };
      }
    }
    const t = this.translate(node);
    return t && this.truthy(t);
  }

  private truthy(t: T): T {
    if (t.kind === "boolean" && !t.missing) return t;
    const guards = t.marker ? [...t.guards, exact.notMarker(t.expr)] : t.guards;
    if ((t.kind === "object" || t.kind === "array") && !t.missing) return { ...literal("true", "boolean"), guards };
    return { ...literal(exact.truthy(t.expr), "boolean"), guards };
  }

  /** `String(t)`, as a template literal and string concatenation convert a value. */
  stringOf(t: T): T | undefined {
    if (t.kind === "string" && !t.missing) return t;
    if (t.kind === "object" || t.kind === "array") return undefined;
    const guards = [...t.guards, ...(t.marker ? [exact.notMarker(t.expr)] : []), ...(t.kind === "any" || t.kind === "number" ? [exact.stringGuard(t.expr)] : [])];
    return { ...literal(exact.string(t.expr), "string"), guards };
  }

  private identifier(node: Node): T | undefined {
    const local = this.locals.resolve(node);
    if (!local || local.isContext || local.errorRecord || local.codeOnly || refusedByType(node.getType())) return undefined;
    return { expr: `$${local.id}`, kind: "any", missing: false, marker: true, guards: [], atom: true };
  }

  private property(node: Node & { getExpression(): Expression; getName(): string }): T | undefined {
    if (Node.isPropertyAccessExpression(node) && node.hasQuestionDotToken()) return undefined;
    const name = node.getName();
    const record = this.caughtRecord(node.getExpression());
    if (record) return this.caughtProperty(record, name);
    if (name === "length") return this.arrayLength(node.getExpression());
    // Inherited members (`toString`, `constructor`, `__proto__`) are not data.
    if (name in Object.prototype || refusedByType(node.getType())) return undefined;
    const ownerNode = node.getExpression();
    const owner = this.translate(ownerNode);
    if (!owner) return undefined;
    const ownerExpr = Node.isIdentifier(ownerNode) || Node.isPropertyAccessExpression(ownerNode) ? owner.expr : `(${owner.expr})`;
    const guards = owner.kind === "object" && !owner.missing ? owner.guards : [...owner.guards, exact.plainObject(owner.expr)];
    return { expr: propertyOf(ownerExpr, name), kind: "any", missing: true, marker: false, guards, atom: true };
  }

  /** The error record of a caught error (a catch binding only read, caught.ts), seen through parentheses and `as`; else undefined. */
  private caughtRecord(node: Node): string | undefined {
    while (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isNonNullExpression(node) || Node.isTypeAssertion(node)) node = node.getExpression();
    const local = Node.isIdentifier(node) ? this.locals.resolve(node) : undefined;
    return local?.errorRecord && isUntouchedCatchBinding(local) ? `$${local.errorRecord.id}` : undefined;
  }

  /** `.message` and `.name` of a caught error, as the fragments would rebuild it (jsonata-exact.ts). */
  private caughtProperty(record: string, name: string): T | undefined {
    if (name === "name") return { ...literal(exact.caughtClass(record), "string"), guards: [exact.caughtGuard(record)] };
    if (name === "message") return { ...literal(exact.caughtMessage(record), "string"), guards: [exact.caughtGuard(record), exact.caughtMessageGuard(record)] };
    return undefined;
  }

  /**
   * `error instanceof C` for a caught error and C the global Error, a built-in error class or an
   * error class of the SDK: which class the record rebuilds into decides it.
   */
  private instanceOf(left: Node, right: Node): T | undefined {
    const record = this.caughtRecord(left);
    const name = record && Node.isIdentifier(right) ? errorClassName(right) : undefined;
    if (!record || !name) return undefined;
    const guards = [exact.caughtGuard(record)];
    if (name === "Error") return { ...literal("true", "boolean"), guards };
    const classes = exact.SDK_ERROR_SUBCLASSES[name] ?? [name];
    return { ...literal(`(${exact.caughtClass(record)} in [${classes.map((c) => `"${c}"`).join(", ")}])`, "boolean"), guards };
  }

  /** An array's `length`; a string's counts UTF-16 units where JSONata counts characters, so it stays to fragments. */
  private arrayLength(ownerNode: Node): T | undefined {
    const owner = this.translate(ownerNode);
    if (!owner || (owner.kind !== "array" && owner.kind !== "any")) return undefined;
    const guards = owner.kind === "array" && !owner.missing ? owner.guards : [...owner.guards, exact.typeIn(operand(owner), "array")];
    return { expr: `$count(${owner.expr})`, kind: "number", missing: false, marker: false, guards, atom: true };
  }

  private binary(node: Node & { getLeft(): Expression; getRight(): Expression; getOperatorToken(): Node; getType(): Type }): T | undefined {
    const op = node.getOperatorToken().getKind();
    if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) return this.logical(node, op);
    if (op === SyntaxKind.InstanceOfKeyword) return this.instanceOf(node.getLeft(), node.getRight());
    const [l, r] = [this.translate(node.getLeft()), this.translate(node.getRight())];
    if (!l || !r) return undefined;
    switch (op) {
      case SyntaxKind.EqualsEqualsEqualsToken:
        return this.strictEquals(l, r, false);
      case SyntaxKind.ExclamationEqualsEqualsToken:
        return this.strictEquals(l, r, true);
      case SyntaxKind.LessThanToken:
      case SyntaxKind.LessThanEqualsToken:
      case SyntaxKind.GreaterThanToken:
      case SyntaxKind.GreaterThanEqualsToken:
        return this.compare(node.getOperatorToken().getText(), l, r);
      case SyntaxKind.PlusToken:
        return this.arithmetic("+", l, r, isStringType(node.getType()));
      case SyntaxKind.MinusToken:
        return this.arithmetic("-", l, r, false);
      case SyntaxKind.AsteriskToken:
        return this.arithmetic("*", l, r, false);
      case SyntaxKind.AsteriskAsteriskToken:
        return this.power(l, r);
    }
    return undefined;
  }

  /** `===` on primitives is JSONata's `=`; objects and arrays (compared by identity in JavaScript) are left to fragments. */
  strictEquals(l: T, r: T, negated: boolean): T | undefined {
    if (l.kind === "object" || r.kind === "object" || l.kind === "array" || r.kind === "array") return undefined;
    const [a, b] = [operand(l), operand(r)];
    // Against a string, boolean or null, JSONata's `=` is false for an array, an object
    // and a marker, as `===` is for whatever they stand for (no marker stands for such a value):
    // no guard on the other side. A number literal keeps it: `-0 === 0`, and -0 is a marker.
    // Nothing (a missing property) is not equal to it either, in both.
    const plainLiteral = (t: T) => !t.missing && (t.kind === "string" || t.kind === "boolean" || t.kind === "null");
    if (plainLiteral(l) || plainLiteral(r)) {
      return { ...literal(negated ? `$not(${a} = ${b})` : `(${a} = ${b})`, "boolean"), guards: [...l.guards, ...r.guards] };
    }
    const primitive = (t: T) => (t.kind === "any" ? [`$not(${exact.typeIn(t.expr, "array", "object")})`] : []);
    // `undefined = x` is false in JSONata: right, unless both sides may be missing.
    const equal = l.missing && r.missing ? `($exists(${a}) ? $exists(${b}) and ${a} = ${b} : $not($exists(${b})))` : `${a} = ${b}`;
    return { ...literal(negated ? `$not(${equal})` : `(${equal})`, "boolean"), guards: [...l.guards, ...r.guards, ...primitive(l), ...primitive(r)] };
  }

  /** Ordering: exact when both are numbers or both strings (JavaScript would convert anything else). */
  private compare(operator: string, l: T, r: T): T | undefined {
    const comparable = (k: Kind) => k === "number" || k === "string" || k === "any";
    if (!comparable(l.kind) || !comparable(r.kind)) return undefined;
    const [a, b] = [operand(l), operand(r)];
    const known = l.kind !== "any" ? l.kind : r.kind !== "any" ? r.kind : undefined;
    const guards = [...l.guards, ...r.guards];
    if (known) {
      for (const t of [l, r]) if (t.kind !== known || t.missing) guards.push(exact.typeIn(operand(t), known));
    } else {
      guards.push(`(${exact.typeIn(a, "number")} and ${exact.typeIn(b, "number")} or ${exact.typeIn(a, "string")} and ${exact.typeIn(b, "string")})`);
    }
    return { ...literal(`${a} ${operator} ${b}`, "boolean"), guards, atom: false };
  }

  /**
   * `+` on numbers, or (when either side is a string) the concatenation of both sides' String();
   * `-`, `*` on numbers. JSONata fails where JavaScript gives Infinity, so the guards keep the
   * operands small enough; any other operand (a numeric string, null, a boolean) runs in a fragment.
   */
  arithmetic(operator: "+" | "-" | "*", l: T, r: T, stringly: boolean): T | undefined {
    if (operator === "+" && (stringly || l.kind === "string" || r.kind === "string")) {
      const [ls, rs] = [this.stringOf(l), this.stringOf(r)];
      if (!ls || !rs) return undefined;
      const oneIsString = [l, r].some((t) => t.kind === "string" && !t.missing) ? [] : [`(${exact.typeIn(operand(l), "string")} or ${exact.typeIn(operand(r), "string")})`];
      return { expr: `${operand(ls)} & ${operand(rs)}`, kind: "string", missing: false, marker: false, guards: [...l.guards, ...r.guards, ...oneIsString, ...ls.guards.slice(l.guards.length), ...rs.guards.slice(r.guards.length)], atom: false };
    }
    const limit = operator === "*" ? exact.PRODUCT_LIMIT : exact.SUM_LIMIT;
    const guards = [...l.guards, ...r.guards];
    for (const t of [l, r]) {
      if (t.kind !== "number" && t.kind !== "any") return undefined;
      if (t.kind === "number" && t.guards.length === 0 && t.atom && Math.abs(Number(t.expr)) <= limit) continue;
      guards.push(exact.finiteNumber(operand(t), limit));
    }
    const expr = `${operand(l)} ${operator} ${operand(r)}`;
    // A product of zero and a negative number is -0, which an ASL Variable cannot hold.
    if (operator === "*") guards.push(`(${expr} != 0 or ${operand(l)} >= 0 and ${operand(r)} >= 0)`);
    return { expr, kind: "number", missing: false, marker: false, guards, atom: false };
  }

  /**
   * `b ** e` where one side is a number literal and the result a whole number below 2^53, which
   * every correct pow computes exactly (and JSONata's `$power` would fail on an infinite one):
   * a literal base of at least 2 in magnitude takes a whole exponent from 0 up to the largest
   * that stays exact; a literal whole exponent takes a whole base up to its root of 2^53.
   */
  private power(l: T, r: T): T | undefined {
    const literalOf = (t: T) => (t.kind === "number" && t.atom && t.guards.length === 0 && /^-?[0-9]+$/.test(t.expr) ? Number(t.expr) : undefined);
    const [base, exponent] = [literalOf(l), literalOf(r)];
    const whole = (t: T, min: number, max: number) => `(${exact.typeIn(operand(t), "number")} ? ${operand(t)} = $floor(${operand(t)}) and ${operand(t)} >= ${min} and ${operand(t)} <= ${max} : false)`;
    let guard: string;
    if (base !== undefined && Math.abs(base) >= 2) guard = whole(r, 0, Math.floor(53 / Math.log2(Math.abs(base))));
    else if (exponent !== undefined && exponent >= 1 && exponent <= 53) {
      const root = Math.floor(2 ** (53 / exponent));
      guard = whole(l, -root, root);
    } else return undefined;
    return { expr: `$power(${l.expr}, ${r.expr})`, kind: "number", missing: false, marker: false, guards: [...l.guards, ...r.guards, guard], atom: true };
  }

  /** `&&`, `||`, `??` as values: they yield one of their operands, chosen by its truthiness (or nullishness). */
  private logical(node: Node & { getLeft(): Expression; getRight(): Expression }, op: SyntaxKind): T | undefined {
    const [l, r] = [this.translate(node.getLeft()), this.translate(node.getRight())];
    if (!l || !r) return undefined;
    const joined = { kind: merge(l.kind, r.kind), missing: l.missing || r.missing, marker: l.marker || r.marker, atom: true };
    if (op === SyntaxKind.QuestionQuestionToken) {
      const guards = [...l.guards, ...(l.marker ? [exact.notMarker(l.expr)] : []), ...r.guards];
      return { ...joined, expr: `(${exact.nullish(l.expr)} ? ${r.expr} : ${l.expr})`, guards };
    }
    const test = this.truthy(l);
    const guards = [...test.guards, ...r.guards];
    if (l.kind === "boolean" && r.kind === "boolean" && !l.missing && !r.missing) {
      return { ...joined, expr: `(${l.expr} ${op === SyntaxKind.AmpersandAmpersandToken ? "and" : "or"} ${r.expr})`, guards };
    }
    const [whenTrue, whenFalse] = op === SyntaxKind.AmpersandAmpersandToken ? [r, l] : [l, r];
    return { ...joined, expr: `(${test.expr} ? ${whenTrue.expr} : ${whenFalse.expr})`, guards };
  }

  private object(node: Node & { getProperties(): Node[] }): T | undefined {
    const entries: string[] = [];
    const guards: string[] = [];
    const keys = new Set<string>();
    for (const prop of node.getProperties()) {
      let key: string | undefined;
      let value: T | undefined;
      if (Node.isPropertyAssignment(prop)) {
        const nameNode = prop.getNameNode();
        // An identifier's text may hold escapes (`\u0061`); its name is the unescaped one.
        key = Node.isIdentifier(nameNode) ? nameNode.compilerNode.text : Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : undefined;
        value = this.translate(prop.getInitializerOrThrow());
      } else if (Node.isShorthandPropertyAssignment(prop)) {
        key = prop.getName();
        value = this.identifier(prop.getNameNode());
      }
      // `{ "__proto__": x }` sets the prototype in JavaScript; in JSONata it would be a key. A key
      // given twice is the last one in JavaScript, an error in JSONata.
      if (key === undefined || value === undefined || key === "__proto__" || keys.has(key)) return undefined;
      keys.add(key);
      // A marker stands for its value only as a whole local; inside an object it would be data.
      guards.push(...value.guards, ...(value.marker ? [exact.notMarker(value.expr)] : []));
      entries.push(`${jsonataString(key)}: ${value.expr}`);
    }
    return { expr: `{${entries.join(", ")}}`, kind: "object", missing: false, marker: false, guards, atom: true };
  }
}

/**
 * The error class an identifier names, when it is the global Error, a built-in error class (both
 * declared by the TypeScript library, not shadowed) or an SDK error class imported from the SDK;
 * else undefined.
 */
function errorClassName(identifier: Node): string | undefined {
  const symbol = identifier.getSymbol();
  for (const decl of symbol?.getDeclarations() ?? []) {
    if (Node.isImportSpecifier(decl)) {
      const name = decl.getName();
      const sdk = decl.getImportDeclaration().getModuleSpecifierValue() === "@aws/durable-execution-sdk-js";
      return sdk && name in exact.SDK_ERROR_SUBCLASSES ? name : undefined;
    }
  }
  const name = identifier.getText();
  const global = (symbol?.getDeclarations() ?? []).every((d) => d.getSourceFile().isDeclarationFile());
  return global && symbol && (name === "Error" || exact.BUILTIN_ERROR_CLASSES.includes(name)) ? name : undefined;
}

/**
 * A JSONata string literal whose value is exactly `text`, whatever it holds. JSON's escapes are
 * JSONata's (quotes, backslashes, control characters, lone surrogates as `\uXXXX`); on top of
 * them, `{%` and `%}` are written `{\u0025` / `\u0025}` so that no field value can look like
 * the end or start of an expression, `${` is written `\u0024{` so that CloudFormation's
 * DefinitionSubstitutions (and `deploy`) never see a placeholder in user text, and the line
 * separators U+2028/U+2029 are escaped as JSON leaves them (the ASL schema's `.+` stops at them).
 */
export function jsonataString(text: string): string {
  return JSON.stringify(text)
    .replace(/\{%/g, "{\\u0025")
    .replace(/%\}/g, "\\u0025}")
    .replace(/\$\{/g, "\\u0024{")
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * A user string as a whole ASL field value: as it is when Step Functions takes it as a literal,
 * else as a JSONata expression that yields it. A value that starts with `{%` and ends with `%}`
 * would be evaluated, one with `${` substituted at deploy time, and the ASL schema (asl-validator)
 * takes no empty literal nor one with a line break.
 */
export function literalValue(text: string): string {
  return text === "" || /\{%|%\}|\$\{|[\n\r\u2028\u2029]/.test(text) ? expression(jsonataString(text)) : text;
}

/** Words JSONata reads as operators or literals, never as a path step. */
const JSONATA_WORDS = new Set(["and", "or", "in", "true", "false", "null", "function"]);

/**
 * `owner.name` in JSONata: a plain name as it is, another printable ASCII one (a keyword,
 * spaces, dashes, a digit first, `$`) in backticks. JSONata 2 has no escape inside backticks, so
 * a name with a backtick, other characters, or what must never appear raw (`{%`, `%}`, `${`) is
 * read with `$lookup`, which is the same on an object.
 */
export function propertyOf(owner: string, name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !JSONATA_WORDS.has(name)) return `${owner}.${name}`;
  if (/^[\x20-\x7e]+$/.test(name) && !/`|\{%|%\}|\$\{/.test(name)) return `${owner}.\`${name}\``;
  return `$lookup(${owner}, ${jsonataString(name)})`;
}

/** A whole-field JSONata value, as ASL writes it. */
export function expression(jsonata: string): string {
  return `{% ${jsonata} %}`;
}
