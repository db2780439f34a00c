import type { Node, Type } from "ts-morph";
import type { Locals } from "../analyze/locals.ts";

/**
 * The translation of one expression into JSONata (jsonata.ts says what "exact" means): each
 * construct yields its JSONata, the JSON type it has, and the guards under which it is exact.
 */
/** The JSON type a translation yields when its guards hold; "any" for any JSON value. */
export type Kind = "string" | "number" | "boolean" | "null" | "object" | "array" | "any";

export interface T {
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

export function literal(expr: string, kind: Kind): T {
  return { expr, kind, missing: false, marker: false, guards: [], atom: true };
}

export function isStringType(type: Type): boolean {
  if (type.isUnion()) return type.getUnionTypes().every(isStringType);
  return type.isString() || type.isStringLiteral() || type.isTemplateLiteral();
}

export const merge = (a: Kind, b: Kind): Kind => (a === b ? a : "any");
export const operand = (t: T): string => (t.atom ? t.expr : `(${t.expr})`);

/** What jsonata-calls.ts needs of the translator (jsonata-translator.ts), without importing it. */
export interface CallTranslator {
  readonly locals: Locals;
  readonly bindings: Map<Node, T>;
  readonly boundNames: Set<string>;
  inlineDepth: number;
  translate(node: Node): T | undefined;
  condition(node: Node): T | undefined;
  truthy(t: T): T;
  stringOf(t: T): T | undefined;
}
