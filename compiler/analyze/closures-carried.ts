import { Node } from "ts-morph";
import type { Local } from "./locals.ts";
import { isReassigned, type Closure } from "./render.ts";

/**
 * What a fragment does with the closures it uses (render.ts finds them: `reachedClosures`): it
 * repeats their declarations before its own code (the prelude), which is faithful only when the
 * captured bindings hold the same values in the new fragment as in the old one.
 */

/** The declaration a fragment's prelude repeats for `closure`, with the locals' unique ids. */
export function closureDeclaration(closure: Closure): string {
  return Node.isFunctionDeclaration(closure.fn) ? closure.piece.text : `const ${closure.local.id} = ${closure.piece.text};`;
}

/** Why re-creating `closure` in another fragment would not give the same function, or undefined. */
export function closureRefusal(closure: Closure): { captured: Local; why: string } | undefined {
  const written = [...(closure.piece.writes ?? [])][0];
  if (written) return { captured: written, why: "it assigns" };
  for (const captured of closure.piece.reads) {
    if (captured.errorRecord || captured.isContext) continue;
    if (isReassigned(captured)) return { captured, why: "is reassigned" };
  }
  return undefined;
}
