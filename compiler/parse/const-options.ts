import { Node, type Expression, type ObjectLiteralExpression, type VariableDeclaration } from "ts-morph";
import { fail, messages, type Message } from "../diagnostics.ts";
import { changedBy } from "./const-changes.ts";
import { constDeclarationOf, withoutTypeWrappers } from "./const-declarations.ts";

/**
 * Options passed by name, `context.step("s", fn, stepConfig)` with `const stepConfig = { ... }`,
 * read as if written inline. That is faithful only when the object the const holds is still the
 * one written when the operation reads it: no line writes to it or its fields, and it reaches no
 * code that could (a call other than the SDK's own operations, an alias, a method call on it).
 * Every use of the const in the project is checked (TypeScript finds them); the first use that
 * could change it is the reason given when the options are refused.
 */

export type ResolvedOptions = { object: ObjectLiteralExpression } | { why: string } | undefined;

/**
 * The object literal the options are, written inline or held by an unchanged const (also through
 * consts of consts), `{ why }` when a const holds it but could change, undefined when it is no
 * object literal at all.
 */
export function resolveOptions(written: Node): ResolvedOptions {
  const chain: VariableDeclaration[] = [];
  let e = withoutTypeWrappers(written);
  while (Node.isIdentifier(e)) {
    const decl = constDeclarationOf(e);
    const init = decl?.getInitializer();
    if (!decl || !init || chain.includes(decl)) return undefined;
    chain.push(decl);
    e = withoutTypeWrappers(init);
  }
  if (!Node.isObjectLiteralExpression(e)) return undefined;
  for (const decl of chain) {
    const why = changedBy(decl);
    if (why) return { why };
  }
  return { object: e };
}

/** The options as an object literal (resolveOptions), else refused: `notObject` when they are none, or why the const could change. */
export function optionsObject(written: Expression, what: string, notObject: Message<"D2S2008">): ObjectLiteralExpression {
  const resolved = resolveOptions(written);
  if (resolved && "object" in resolved) return resolved.object;
  fail(written, resolved ? messages.D2S2008.constOptionsChanged({ what, why: resolved.why }) : notObject);
}
