import { Node, SyntaxKind, type Type } from "ts-morph";
import type { Local, Locals } from "./locals.ts";
import { rootLocal } from "./mutations.ts";
import { isPrimitiveType } from "./render.ts";

/** Methods that compare their argument with what the receiver holds by identity (SameValueZero or ===). */
const IDENTITY_METHODS = new Set(["includes", "indexOf", "lastIndexOf", "has", "get", "delete"]);
const IDENTITY_OPERATORS = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);

/**
 * The objects whose identity the code tells apart: `a === b` of two objects, `list.includes(item)`,
 * `seen.has(item)`, `Object.is(a, b)`. A copy of an object nobody changes can be told from the
 * object this way, so the locals it goes through count as seeing it, as a change in place does
 * (aliases.ts): they then travel together across durable operations and stay out of JSONata.
 * Each entry is the local the object is reached through and the node that holds it.
 */
export function identityReads(node: Node, locals: Locals): { root: Local; target: Node }[] {
  const out: { root: Local; target: Node }[] = [];
  const add = (target: Node) => {
    if (isPrimitiveType(target.getType() as Type)) return;
    const root = rootLocal(target, locals);
    if (root) out.push({ root, target });
  };
  const visit = (n: Node): void => {
    if (Node.isBinaryExpression(n) && IDENTITY_OPERATORS.has(n.getOperatorToken().getKind())) {
      add(n.getLeft());
      add(n.getRight());
    }
    if (Node.isCallExpression(n)) {
      const callee = n.getExpression();
      const args = n.getArguments();
      if (Node.isPropertyAccessExpression(callee) && IDENTITY_METHODS.has(callee.getName()) && args[0]) {
        add(args[0]);
        add(callee.getExpression());
      }
      if (callee.getText() === "Object.is") args.forEach(add);
    }
    n.forEachChild(visit);
  };
  visit(node);
  return out;
}
