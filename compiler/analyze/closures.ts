import { Node, SyntaxKind, type CallExpression, type Expression } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { containsDurableCall, isLoggerAccess } from "../parse/durable-calls.ts";
import type { Local, Locals } from "./locals.ts";
import { directMutations } from "./mutations.ts";
import { renderCode, type CodePiece } from "./render.ts";

/**
 * A step body or submitter runs in a fragment, once per attempt, and is checkpointed: it must not
 * use the DurableContext (no operations inside a step; its logger is no operation), nor assign the handler's locals (the
 * SDK's no-closure-in-durable-operations rule: a replay would not see the assignment), nor
 * change their objects in place (`audit.push(x)`, `counters.n += 1`: lost on replay as well).
 * Returns the function as code.
 */
export function closurePiece(arg: Expression | undefined, call: CallExpression, what: string, locals: Locals): { node: Expression; piece: CodePiece } {
  if (!arg) fail(call, messages.D2S2004.functionMissing({ what }));
  if (containsDurableCall(arg) || arg.getDescendants().some((n) => Node.isIdentifier(n) && locals.resolve(n)?.isContext && !isLoggerAccess(n))) {
    fail(arg, messages.D2S2001.operationInBody({ what }));
  }
  const piece = renderCode(arg, locals);
  const written = [...piece.writes].filter((l) => !l.errorRecord);
  if (written.length > 0) {
    const local = written[0];
    fail(assignmentOf(arg, local, locals), messages.D2S2002.assignsHandlerVariable({ what, name: local.name }));
  }
  const changed = directMutations(arg, locals).find((m) => !m.root.errorRecord);
  if (changed) fail(changed.node, messages.D2S2002.changesHandlerObject({ what, name: changed.root.name, form: changed.form }));
  return { node: arg, piece };
}

/** The assignment (`x = ...`, `x += 1`, `x++`) of `local` inside `fn`, to point at. */
function assignmentOf(fn: Node, local: Local, locals: Locals): Node {
  for (const id of fn.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = id.getParent()!;
    const assigned = (Node.isBinaryExpression(parent) && parent.getLeft() === id) || Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent);
    if (assigned && locals.resolve(id) === local) return parent;
  }
  return fn;
}
