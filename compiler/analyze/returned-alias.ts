import type { Statement } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { containsDurableCall } from "../parse/durable-calls.ts";
import type { ValueExpr } from "../lower/cfg.ts";
import type { Locals } from "./locals.ts";
import { isPrimitiveType, renderCode } from "./render.ts";

/**
 * JavaScript returns an object by reference: a finally body that changes it after the return
 * value was taken changes what is returned. Across a durable operation values are copies, so
 * that sharing cannot be kept; refuse it rather than return something else.
 */
export function refuseReturnedAlias(value: ValueExpr, finallyBodies: Statement[][], locals: Locals): void {
  const objects = [...value.piece.reads].filter((l) => !isPrimitiveType(l.type));
  if (objects.length === 0) return;
  for (const statements of finallyBodies) {
    if (!statements.some((s) => containsDurableCall(s))) continue;
    const touched = new Set(statements.flatMap((s) => [...renderCode(s, locals).reads]));
    const shared = objects.find((l) => touched.has(l));
    if (shared) {
      fail(value.node, messages.D2S2012.returnedAlias({ name: shared.name }));
    }
  }
}
