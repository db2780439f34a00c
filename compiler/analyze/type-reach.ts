import type { Node, Type } from "ts-morph";
import { isPrimitiveType } from "./render.ts";

/**
 * The object types a value of some type can reach (itself, its properties, elements, union
 * members, type arguments, deeply), for the alias analysis: a change to an `Item` can only be seen
 * through a local whose type reaches `Item`, never through a `string[]`. `any`, `unknown` and
 * a missing type (the compiler's temporaries) reach everything.
 */
export type Reach = Set<unknown> | "anything";

const MAX_DEPTH = 8;

export function reachOf(type: Type | undefined, at: Node): Reach {
  if (!type || type.isAny() || type.isUnknown()) return "anything";
  const out = new Set<unknown>();
  const visit = (t: Type, depth: number): boolean => {
    if (t.isAny() || t.isUnknown()) return false;
    if (isPrimitiveType(t) || t.getCallSignatures().length > 0 || out.has(t.compilerType)) return true;
    if (depth > MAX_DEPTH) return false;
    const parts = t.isUnion() ? t.getUnionTypes() : t.isIntersection() ? t.getIntersectionTypes() : undefined;
    if (parts) return parts.every((p) => visit(p, depth + 1));
    if (t.isObject()) out.add(t.compilerType);
    const inner = [
      t.getArrayElementType(),
      t.getStringIndexType(),
      t.getNumberIndexType(),
      ...(t.isTuple() ? t.getTupleElements() : []),
      ...t.getTypeArguments(),
      ...t.getProperties().map((p) => p.getTypeAtLocation(at)),
    ].filter((x): x is Type => x !== undefined);
    return inner.every((x) => visit(x, depth + 1));
  };
  return visit(type, 0) ? out : "anything";
}

/** Does anything a local can reach lie in what a change may touch? */
export function overlaps(a: Reach, b: Reach): boolean {
  if (a === "anything" || b === "anything") return true;
  for (const t of a) if (b.has(t)) return true;
  return false;
}

/** The object types a value of this type can itself be (the members of a union, not what they contain). */
export function objectTypesOf(type: Type | undefined): Reach {
  if (!type || type.isAny() || type.isUnknown()) return "anything";
  const parts = type.isUnion() ? type.getUnionTypes() : [type];
  if (parts.some((p) => p.isAny() || p.isUnknown())) return "anything";
  return new Set(parts.filter((p) => p.isObject() || p.isIntersection()).map((p) => p.compilerType));
}
