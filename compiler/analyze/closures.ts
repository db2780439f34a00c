import { Node, type CallExpression, type Expression } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { containsDurableCall } from "../parse/durable-calls.ts";
import type { Locals } from "./locals.ts";
import { renderCode, type CodePiece } from "./render.ts";

/**
 * A step body or submitter runs in a fragment, once per attempt, and is checkpointed: it must not
 * use the DurableContext (no operations inside a step), nor assign the handler's locals (the
 * SDK's no-closure-in-durable-operations rule: a replay would not see the assignment).
 * Returns the function as code.
 */
export function closurePiece(arg: Expression | undefined, call: CallExpression, what: string, locals: Locals): { node: Expression; piece: CodePiece } {
  if (!arg) fail(call, messages.D2S2004.functionMissing({ what }));
  if (containsDurableCall(arg) || arg.getDescendants().some((n) => Node.isIdentifier(n) && locals.resolve(n)?.isContext)) {
    fail(arg, messages.D2S2001.operationInBody({ what }));
  }
  const piece = renderCode(arg, locals);
  const written = [...piece.writes].filter((l) => !l.errorRecord);
  if (written.length > 0) {
    const local = written[0];
    fail(arg, messages.D2S2002.assignsHandlerVariable({ what, name: local.name }));
  }
  return { node: arg, piece };
}
