import { Node, SyntaxKind, type Expression, type Type } from "ts-morph";
import type { Locals } from "../analyze/locals.ts";

/**
 * Translates a JavaScript expression into JSONata only where the result is exactly the same.
 * Anything else returns undefined and runs in a fragment instead. The rules lean on the types:
 * a value typed `any`, or one that may be `undefined`, is never translated, because JSONata and
 * JavaScript disagree there (a missing value is an error in ASL, `undefined` in JavaScript).
 */
export function toJsonata(expr: Node, locals: Locals): string | undefined {
  return new Translator(locals).translate(expr);
}

type Kind = "string" | "number" | "boolean" | "object" | "null";

function kindOf(type: Type): Kind | undefined {
  if (type.isAny() || type.isUnknown() || type.isUndefined()) return undefined;
  if (type.isBoolean() || type.isBooleanLiteral()) return "boolean";
  if (type.isString() || type.isStringLiteral() || type.isTemplateLiteral()) return "string";
  if (type.isNumber() || type.isNumberLiteral()) return "number";
  if (type.isNull()) return "null";
  if (type.isUnion()) {
    const kinds = new Set(type.getUnionTypes().map(kindOf));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  // Errors travel as marker objects (runtime/fragments/values.ts): never read them with JSONata.
  if (type.getProperty("stack") && type.getProperty("message")) return undefined;
  if (type.isObject() && !type.isArray() && type.getCallSignatures().length === 0) return "object";
  return undefined;
}

class Translator {
  constructor(private readonly locals: Locals) {}

  translate(node: Node): string | undefined {
    if (Node.isParenthesizedExpression(node)) {
      const inner = this.translate(node.getExpression());
      return inner && `(${inner})`;
    }
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return jsonataString(node.getLiteralValue());
    if (Node.isNumericLiteral(node)) {
      const value = node.getLiteralValue();
      return Number.isFinite(value) ? String(value) : undefined;
    }
    if (node.getKind() === SyntaxKind.TrueKeyword) return "true";
    if (node.getKind() === SyntaxKind.FalseKeyword) return "false";
    if (node.getKind() === SyntaxKind.NullKeyword) return "null";
    if (Node.isIdentifier(node)) return this.identifier(node);
    if (Node.isPropertyAccessExpression(node)) return this.property(node);
    if (Node.isPrefixUnaryExpression(node)) {
      if (node.getOperatorToken() !== SyntaxKind.ExclamationToken) return undefined;
      const operand = node.getOperand();
      if (kindOf(operand.getType()) !== "boolean") return undefined;
      const inner = this.translate(operand);
      return inner && `$not(${inner})`;
    }
    if (Node.isBinaryExpression(node)) return this.binary(node);
    if (Node.isConditionalExpression(node)) {
      if (kindOf(node.getCondition().getType()) !== "boolean") return undefined;
      const [c, a, b] = [node.getCondition(), node.getWhenTrue(), node.getWhenFalse()].map((n) => this.translate(n));
      return c && a && b ? `(${c} ? ${a} : ${b})` : undefined;
    }
    if (Node.isTemplateExpression(node)) {
      const parts = [jsonataString(node.getHead().getLiteralText())];
      for (const span of node.getTemplateSpans()) {
        if (kindOf(span.getExpression().getType()) !== "string") return undefined;
        const inner = this.translate(span.getExpression());
        if (!inner) return undefined;
        parts.push(inner, jsonataString(span.getLiteral().getLiteralText()));
      }
      return parts.filter((p) => p !== '""').join(" & ") || '""';
    }
    if (Node.isObjectLiteralExpression(node)) return this.object(node);
    return undefined;
  }

  private identifier(node: Node): string | undefined {
    const local = this.locals.resolve(node);
    if (!local || local.isContext || local.errorRecord || local.codeOnly) return undefined;
    if (!kindOf(node.getType())) return undefined;
    return `$${local.id}`;
  }

  private property(node: Node & { getExpression(): Expression; getName(): string }): string | undefined {
    if (Node.isPropertyAccessExpression(node) && node.hasQuestionDotToken()) return undefined;
    const owner = node.getExpression();
    if (kindOf(owner.getType()) !== "object" || !kindOf(node.getType())) return undefined;
    const symbol = owner.getType().getProperty(node.getName());
    if (!symbol || symbol.isOptional()) return undefined;
    const inner = this.translate(owner);
    if (!inner) return undefined;
    return propertyOf(inner, node.getName());
  }

  private binary(node: Node & { getLeft(): Expression; getRight(): Expression; getOperatorToken(): Node }): string | undefined {
    const op = node.getOperatorToken().getKind();
    const [lk, rk] = [kindOf(node.getLeft().getType()), kindOf(node.getRight().getType())];
    const primitive = (k: Kind | undefined) => k === "string" || k === "number" || k === "boolean";
    let jsonataOp: string | undefined;
    switch (op) {
      case SyntaxKind.EqualsEqualsEqualsToken:
        jsonataOp = primitive(lk) && lk === rk ? "=" : undefined;
        break;
      case SyntaxKind.ExclamationEqualsEqualsToken:
        jsonataOp = primitive(lk) && lk === rk ? "!=" : undefined;
        break;
      case SyntaxKind.LessThanToken:
      case SyntaxKind.LessThanEqualsToken:
      case SyntaxKind.GreaterThanToken:
      case SyntaxKind.GreaterThanEqualsToken:
        jsonataOp = lk === "number" && rk === "number" ? node.getOperatorToken().getText() : undefined;
        break;
      case SyntaxKind.AmpersandAmpersandToken:
        jsonataOp = lk === "boolean" && rk === "boolean" ? "and" : undefined;
        break;
      case SyntaxKind.BarBarToken:
        jsonataOp = lk === "boolean" && rk === "boolean" ? "or" : undefined;
        break;
      case SyntaxKind.PlusToken:
        jsonataOp = lk === "number" && rk === "number" ? "+" : lk === "string" && rk === "string" ? "&" : undefined;
        break;
      case SyntaxKind.MinusToken:
      case SyntaxKind.AsteriskToken:
        jsonataOp = lk === "number" && rk === "number" ? node.getOperatorToken().getText() : undefined;
        break;
    }
    if (!jsonataOp) return undefined;
    const [l, r] = [this.translate(node.getLeft()), this.translate(node.getRight())];
    return l && r ? `${l} ${jsonataOp} ${r}` : undefined;
  }

  private object(node: Node & { getProperties(): Node[] }): string | undefined {
    const entries: string[] = [];
    for (const prop of node.getProperties()) {
      let key: string | undefined;
      let value: string | undefined;
      if (Node.isPropertyAssignment(prop)) {
        const nameNode = prop.getNameNode();
        // An identifier's text may hold escapes (`\u0061`); its name is the unescaped one.
        key = Node.isIdentifier(nameNode) ? nameNode.compilerNode.text : Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : undefined;
        value = this.translate(prop.getInitializerOrThrow());
        // `{ "__proto__": x }` sets the prototype in JavaScript; in JSONata it would be a key.
        if (key === "__proto__") return undefined;
      } else if (Node.isShorthandPropertyAssignment(prop)) {
        key = prop.getName();
        value = this.identifier(prop.getNameNode());
      }
      if (key === undefined || value === undefined) return undefined;
      entries.push(`${jsonataString(key)}: ${value}`);
    }
    return `{${entries.join(", ")}}`;
  }
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
