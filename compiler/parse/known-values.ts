import { Node, SyntaxKind } from "ts-morph";
import { changedBy } from "./const-changes.ts";
import { constDeclarationOf, withoutTypeWrappers } from "./const-declarations.ts";

/**
 * Values fixed when the machine is built, wherever the compiler reads a name, a duration, a
 * timeout, a retry or a map option: literals, `const`s (also imported from another module of the
 * project), enum members, fields of objects that cannot change (`as const`, or written inline),
 * template strings and arithmetic of those. Anything that could differ between runs (a `let`, a
 * parameter, a call, a field of a plain object another line could change) is not known, and the
 * caller computes it at run time or refuses it. The folder is deliberately small: TypeScript's
 * checker resolves the names, this only combines what it finds.
 */

export type KnownValue = string | number | boolean | null | KnownValue[] | { readonly [key: string]: KnownValue };

/** No value known at build time. */
const UNKNOWN = Symbol("unknown");
type Folded = KnownValue | typeof UNKNOWN;

/** The value of `node` when it is fixed at build time, else undefined. */
export function knownValue(node: Node | undefined): { value: KnownValue } | undefined {
  if (!node) return undefined;
  const value = fold(node, new Set());
  return value === UNKNOWN ? undefined : { value };
}

export function knownString(node: Node | undefined): string | undefined {
  const known = knownValue(node);
  return typeof known?.value === "string" ? known.value : undefined;
}

export function knownNumber(node: Node | undefined): number | undefined {
  const known = knownValue(node);
  return typeof known?.value === "number" ? known.value : undefined;
}

/** `seen` holds the const declarations being read, so that a cycle of names knows nothing. */
function fold(node: Node, seen: Set<Node>): Folded {
  const e = withoutTypeWrappers(node);
  if (e !== node) return fold(e, seen);
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return e.getLiteralValue();
  if (Node.isNumericLiteral(e)) return e.getLiteralValue();
  if (e.getKind() === SyntaxKind.TrueKeyword) return true;
  if (e.getKind() === SyntaxKind.FalseKeyword) return false;
  if (e.getKind() === SyntaxKind.NullKeyword) return null;
  if (Node.isTemplateExpression(e)) return template(e, seen);
  if (Node.isPrefixUnaryExpression(e)) return unary(e.getOperatorToken(), fold(e.getOperand(), seen));
  if (Node.isBinaryExpression(e)) return binary(e.getOperatorToken().getKind(), fold(e.getLeft(), seen), fold(e.getRight(), seen));
  if (Node.isIdentifier(e)) return identifier(e, seen);
  if (Node.isPropertyAccessExpression(e)) return member(e.getExpression(), e.getName(), seen);
  if (Node.isElementAccessExpression(e)) {
    const key = fold(e.getArgumentExpressionOrThrow(), seen);
    return typeof key === "string" || typeof key === "number" ? member(e.getExpression(), String(key), seen) : UNKNOWN;
  }
  // An object or array written here is made afresh each time: its fields are what is written.
  // Read through a name, only a frozen one (`as const`) cannot have been changed since.
  if (Node.isObjectLiteralExpression(e)) return objectLiteral(e, seen);
  if (Node.isArrayLiteralExpression(e)) {
    const items = e.getElements().map((item) => (Node.isSpreadElement(item) || Node.isOmittedExpression(item) ? UNKNOWN : fold(item, seen)));
    return items.includes(UNKNOWN) ? UNKNOWN : (items as KnownValue[]);
  }
  return UNKNOWN;
}

function objectLiteral(e: import("ts-morph").ObjectLiteralExpression, seen: Set<Node>): Folded {
  const out: Record<string, KnownValue> = {};
  for (const property of e.getProperties()) {
    let key: string | undefined;
    let value: Folded = UNKNOWN;
    if (Node.isPropertyAssignment(property)) {
      const name = property.getNameNode();
      key = Node.isIdentifier(name) ? name.getText() : Node.isStringLiteral(name) || Node.isNumericLiteral(name) ? String(name.getLiteralValue()) : undefined;
      value = fold(property.getInitializerOrThrow(), seen);
    } else if (Node.isShorthandPropertyAssignment(property)) {
      key = property.getName();
      value = identifier(property.getNameNode(), seen);
    }
    if (key === undefined || value === UNKNOWN || key === "__proto__") return UNKNOWN;
    out[key] = value;
  }
  return out;
}

/** A name: an enum member's value, or a const whose initializer is known (an object only when frozen, or when nothing can change it: const-options.ts). */
function identifier(id: import("ts-morph").Identifier, seen: Set<Node>): Folded {
  const decl = constDeclarationOf(id);
  const init = decl?.getInitializer();
  if (!decl || !init || seen.has(decl)) return UNKNOWN;
  const inner = withoutTypeWrappers(init);
  if ((Node.isObjectLiteralExpression(inner) || Node.isArrayLiteralExpression(inner)) && !isFrozen(init) && changedBy(decl) !== undefined) return UNKNOWN;
  return fold(init, new Set([...seen, decl]));
}

/** `{...} as const` (also inside parentheses or `satisfies`): its fields are readonly, all the way down. */
function isFrozen(init: Node): boolean {
  let e: Node = init;
  for (;;) {
    if (Node.isAsExpression(e) && e.getTypeNode()?.getText() === "const") return true;
    if (Node.isParenthesizedExpression(e) || Node.isSatisfiesExpression(e) || Node.isAsExpression(e)) e = e.getExpression();
    else return false;
  }
}

function member(object: Node, key: string, seen: Set<Node>): Folded {
  const enumMember = enumMemberOf(object, key);
  if (enumMember !== undefined) return enumMember;
  // Through a name the object must be frozen (identifier() checks); nested fields of a frozen object are too.
  const base = Node.isIdentifier(withoutTypeWrappers(object)) || isMemberAccess(object) ? fold(object, seen) : UNKNOWN;
  if (base === null || typeof base !== "object" || !Object.hasOwn(base, key)) return UNKNOWN;
  if (Array.isArray(base)) return /^(0|[1-9]\d*)$/.test(key) ? (base[Number(key)] ?? UNKNOWN) : UNKNOWN;
  return (base as Record<string, KnownValue>)[key]!;
}

function isMemberAccess(node: Node): boolean {
  const e = withoutTypeWrappers(node);
  return Node.isPropertyAccessExpression(e) || Node.isElementAccessExpression(e);
}

/** `Colour.Red`: the enum member's constant value, as TypeScript computes it. */
function enumMemberOf(object: Node, key: string): Folded | undefined {
  const e = withoutTypeWrappers(object);
  if (!Node.isIdentifier(e)) return undefined;
  let symbol = e.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  const declarations = symbol?.getDeclarations() ?? [];
  if (declarations.length === 0 || !declarations.every((d) => Node.isEnumDeclaration(d))) return undefined;
  for (const d of declarations) {
    if (!Node.isEnumDeclaration(d)) continue;
    const found = d.getMember(key);
    if (found) {
      const value = found.getValue();
      return value === undefined ? UNKNOWN : value;
    }
  }
  return UNKNOWN;
}

function template(e: import("ts-morph").TemplateExpression, seen: Set<Node>): Folded {
  let text = e.getHead().getLiteralText();
  for (const span of e.getTemplateSpans()) {
    const value = fold(span.getExpression(), seen);
    if (value === UNKNOWN || (typeof value === "object" && value !== null)) return UNKNOWN;
    text += String(value) + span.getLiteral().getLiteralText();
  }
  return text;
}

function unary(operator: SyntaxKind, operand: Folded): Folded {
  if (typeof operand !== "number") return UNKNOWN;
  if (operator === SyntaxKind.MinusToken) return -operand;
  if (operator === SyntaxKind.PlusToken) return operand;
  return UNKNOWN;
}

/** Arithmetic on numbers and `+` on strings: what JavaScript gives, for the operands it is defined on here. */
function binary(operator: SyntaxKind, left: Folded, right: Folded): Folded {
  if (operator === SyntaxKind.PlusToken && (typeof left === "string" || typeof right === "string")) {
    const primitive = (v: Folded) => typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null;
    return primitive(left) && primitive(right) ? String(left) + String(right) : UNKNOWN;
  }
  if (typeof left !== "number" || typeof right !== "number") return UNKNOWN;
  const value = arithmetic(operator, left, right);
  // NaN and Infinity are no name, duration or count a caller could use.
  return typeof value === "number" && !Number.isFinite(value) ? UNKNOWN : value;
}

function arithmetic(operator: SyntaxKind, left: number, right: number): Folded {
  switch (operator) {
    case SyntaxKind.PlusToken:
      return left + right;
    case SyntaxKind.MinusToken:
      return left - right;
    case SyntaxKind.AsteriskToken:
      return left * right;
    case SyntaxKind.SlashToken:
      return left / right;
    case SyntaxKind.PercentToken:
      return left % right;
    case SyntaxKind.AsteriskAsteriskToken:
      return left ** right;
    default:
      return UNKNOWN;
  }
}
