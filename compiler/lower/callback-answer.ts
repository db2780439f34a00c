import { Node } from "ts-morph";
import type { Local } from "../analyze/locals.ts";
import { resolveOptions } from "../parse/const-options.ts";
import type { CallbackOp } from "./cfg.ts";

/**
 * Marks `target` as a callback's answer (`Local.callbackAnswer`) when that is all it can ever
 * hold: a `const` whose initializer is the awaited waitForCallback itself, whose options name no
 * serdes (the machine stores the answer as a string, or the undefined marker for an empty one:
 * transform/create-callback.ts). Then JSONata reads the marker as JavaScript's undefined, with no
 * guard (jsonata-translator.ts).
 */
export function markCallbackAnswer(op: CallbackOp, target: Local | undefined): void {
  const declaration = target?.declaration;
  if (!target || !declaration || !Node.isVariableDeclaration(declaration)) return;
  if (declaration.getVariableStatement()?.getDeclarationKind() !== "const" || !Node.isIdentifier(declaration.getNameNode())) return;
  let init = declaration.getInitializer();
  while (init && (Node.isParenthesizedExpression(init) || Node.isAwaitExpression(init))) init = init.getExpression();
  if (init !== op.call || (op.config && !withoutSerdes(op.config.node))) return;
  target.callbackAnswer = true;
}

/** Options that are an object literal (or an unchanged const of one) of named properties, none of them `serdes`. */
function withoutSerdes(options: Node): boolean {
  const resolved = resolveOptions(options);
  if (!resolved || !("object" in resolved)) return false;
  return resolved.object.getProperties().every((p) => {
    const named = Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) || Node.isMethodDeclaration(p);
    return named && !Node.isComputedPropertyName(p.getNameNode()) && p.getName() !== "serdes";
  });
}
