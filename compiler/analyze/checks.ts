import { Node } from "ts-morph";
import { diagnosticAt, type Diagnostic } from "../diagnostics.ts";
import { asDurableCall, isFunctionLike } from "../parse/durable-calls.ts";
import type { HandlerDecl } from "../parse/handlers.ts";

const NON_DETERMINISTIC: { test: (n: Node) => boolean; what: string }[] = [
  { test: (n) => Node.isCallExpression(n) && n.getExpression().getText() === "Date.now", what: "Date.now()" },
  { test: (n) => Node.isNewExpression(n) && n.getExpression().getText() === "Date" && (n.getArguments().length ?? 0) === 0, what: "new Date()" },
  { test: (n) => Node.isCallExpression(n) && n.getExpression().getText() === "Math.random", what: "Math.random()" },
  { test: (n) => Node.isCallExpression(n) && /(^|\.)(randomUUID|randomBytes|getRandomValues)$/.test(n.getExpression().getText()), what: "a crypto random call" },
];

/** Is this node inside a function passed to a durable operation (a step body, a submitter)? */
function insideOperationCallback(node: Node, handlerFn: Node): boolean {
  for (let n = node.getParent(); n && n !== handlerFn; n = n.getParent()) {
    if (isFunctionLike(n) && asDurableCall(n.getParent() ?? n)) return true;
  }
  return false;
}

/**
 * Warnings the SDK's own lint rules give: code outside steps is replayed under the SDK, so it
 * must be deterministic. The compiled machine runs it once, which hides such bugs: warn here.
 */
export function nonDeterminismWarnings(handler: HandlerDecl): Diagnostic[] {
  const out: Diagnostic[] = [];
  handler.fn.forEachDescendant((n) => {
    const rule = NON_DETERMINISTIC.find((r) => r.test(n));
    if (rule && !insideOperationCallback(n, handler.fn)) {
      out.push(
        diagnosticAt(n, "D2S2003", `${rule.what} outside a step gives a different value on every replay`, "wrap it in a step: `await context.step(\"now\", async () => Date.now())`", "warning"),
      );
    }
  });
  return out;
}
