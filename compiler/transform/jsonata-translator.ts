import { Node, SyntaxKind, type Expression, type Type } from "ts-morph";
import type { Locals } from "../analyze/locals.ts";
import { errorClassName, isUntouchedCatchBinding } from "./caught.ts";
import { batchPropertyJsonata } from "./jsonata-batch.ts";
import { callJsonata } from "./jsonata-calls.ts";
import * as exact from "./jsonata-exact.ts";
import { jsonataString, propertyOf } from "./jsonata-text.ts";
import { isStringType, literal, merge, operand, type CallTranslator, type Kind, type T } from "./jsonata-term.ts";

export { isStringType, literal, operand, type Kind, type T } from "./jsonata-term.ts";

/**
 * Declared types may refuse a translation, never allow one: an Error (travels as a marker that
 * only fragments decode) or a function is left to fragments.
 */
function refusedByType(type: Type): boolean {
  if (type.getCallSignatures().length > 0) return true;
  if (type.isUnion()) return type.getUnionTypes().some(refusedByType);
  return Boolean(type.getProperty("stack") && type.getProperty("message"));
}


export class Translator implements CallTranslator {
  /**
   * What the parameters of the functions being translated stand for (jsonata-calls.ts): a
   * callback's parameter is a JSONata function parameter, an inlined function's parameter the
   * argument's translation. Keyed by the parameter's declaration.
   */
  readonly bindings = new Map<Node, T>();
  /** JSONata names the enclosing callbacks' parameters hold, so that an inner one takes another. */
  readonly boundNames = new Set<string>();
  /** How deep project functions are inlined into one another (a recursive one stops the translation). */
  inlineDepth = 0;

  constructor(readonly locals: Locals) {}

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
    if (Node.isTypeOfExpression(node)) {
      const t = this.translate(node.getExpression());
      return t && { ...literal(exact.typeOf(t.expr), "string"), guards: t.marker ? [...t.guards, exact.notMarker(t.expr)] : t.guards };
    }
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

  /** A call: `includes` here; array methods, `Math` functions and the project's own functions in jsonata-calls.ts. */
  private call(node: Node & { getExpression(): Node; getArguments(): Node[] }): T | undefined {
    const callee = node.getExpression();
    const args = node.getArguments();
    if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken() || callee.getName() !== "includes" || args.length !== 1) return callJsonata(this, node);
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

  truthy(t: T): T {
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
    const parent = node.getParent();
    const symbol = parent && Node.isShorthandPropertyAssignment(parent) ? (parent.getValueSymbol() ?? node.getSymbol()) : node.getSymbol();
    const declaration = symbol?.getDeclarations()[0];
    const bound = declaration && this.bindings.get(declaration);
    if (bound) return refusedByType(node.getType()) ? undefined : bound;
    const local = this.locals.resolve(node);
    if (!local || local.isContext || local.errorRecord || local.codeOnly || refusedByType(node.getType())) return undefined;
    // A callback's answer is a string or the undefined marker: JSONata's nothing is the latter.
    if (local.callbackAnswer) return { expr: `($type($${local.id}) = "string" ? $${local.id})`, kind: "string", missing: true, marker: false, guards: [], atom: true };
    return { expr: `$${local.id}`, kind: "any", missing: false, marker: true, guards: [], atom: true };
  }

  private property(node: Node & { getExpression(): Expression; getName(): string }): T | undefined {
    if (Node.isPropertyAccessExpression(node) && node.hasQuestionDotToken()) return undefined;
    const name = node.getName();
    const record = this.caughtRecord(node.getExpression());
    if (record) return this.caughtProperty(record, name);
    if (name === "length") return this.arrayLength(node.getExpression());
    const batch = batchPropertyJsonata(this, node);
    if (batch) return batch;
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
   * error class of the SDK: which class the record rebuilds into decides it (for an error the
   * handler's own code threw, the class of the value its record carries).
   */
  private instanceOf(left: Node, right: Node): T | undefined {
    const record = this.caughtRecord(left);
    const name = record && Node.isIdentifier(right) ? errorClassName(right) : undefined;
    if (!record || !name) return undefined;
    const guards = [exact.caughtClassGuard(record)];
    if (name === "Error") return { ...literal("true", "boolean"), guards };
    const classes = exact.SDK_ERROR_SUBCLASSES[name] ?? [name];
    return { ...literal(`(${exact.caughtClassOf(record)} in [${classes.map((c) => `"${c}"`).join(", ")}])`, "boolean"), guards };
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
      case SyntaxKind.SlashToken:
        return this.division(l, r);
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
   * `a / b` on numbers: JSONata divides as JavaScript does, but fails (or stores Infinity) where
   * the quotient is not finite, and an ASL Variable cannot hold -0, so the guards keep the
   * dividend within 1e154 and the divisor at least 1e-154 in size (the quotient stays finite)
   * and rule out a zero of negative sign.
   */
  private division(l: T, r: T): T | undefined {
    if ((l.kind !== "number" && l.kind !== "any") || (r.kind !== "number" && r.kind !== "any")) return undefined;
    const [a, b] = [operand(l), operand(r)];
    const expr = `${a} / ${b}`;
    const guards = [...l.guards, ...r.guards, exact.finiteNumber(a, exact.PRODUCT_LIMIT), `(${exact.typeIn(b, "number")} ? $abs(${b}) >= 1e-154 : false)`, `(${expr} != 0 or ${a} >= 0 and ${b} > 0)`];
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
