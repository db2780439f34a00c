import { Node, SyntaxKind, type Statement } from "ts-morph";
import { isFunctionLike } from "../parse/durable-calls.ts";
import { aliasOrigin, possibleMutations } from "../analyze/mutations.ts";
import { isPrimitiveType, renderCode } from "../analyze/render.ts";
import type { Local } from "../analyze/locals.ts";
import type { PendingOp } from "./pending-types.ts";
import type { Lowering } from "./context.ts";

/**
 * Plain code between operations started in `const`s and the await or combinator that consumes
 * them (pending.ts). Under the SDK each operation began at its call, before this code (its name
 * and arguments read then; a step's function runs once its start is checkpointed, after this
 * code). The compiled machine runs the started operations first and this code after them
 * (started-settle.ts), which is the same run when this code changes nothing the operations read
 * (no single point of the machine reads both an argument and a function's read alike) and reads
 * nothing they change, and when it cannot pause or leave the block before the consumer: no
 * `await`, `return`, `break` or `continue` of its own, and nothing the statement lowering gives
 * blocks of its own (a durable call, a helper taking the context: `needsBlock`). A throw in it
 * is then faithful: the started operations have run to their end, as the SDK runs them, and the
 * handler fails with that error.
 */

export type BetweenRefusal = { kind: "notPlain"; what: string } | { kind: "shared"; local: string; op: PendingOp };

const LEAVES = "can leave the block before the operation is awaited (under the SDK it has started by then, and its record is made; the compiled machine would never start it)";
const EXITS: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.AwaitExpression]: "awaits (under the SDK the operation runs meanwhile; the compiled machine would start it only after this await)",
  
  [SyntaxKind.ReturnStatement]: `has a \`return\`, which ${LEAVES}`,
  [SyntaxKind.BreakStatement]: `has a \`break\`, which ${LEAVES}`,
  [SyntaxKind.ContinueStatement]: `has a \`continue\`, which ${LEAVES}`,
};

/** Why `statement` may not stand between the started operations and their consumer; undefined when it may. */
export function plainCodeRefusal(lo: Lowering, statement: Statement, started: PendingOp[], needsBlock: boolean): BetweenRefusal | undefined {
  const exit = exitOf(statement);
  if (exit) return { kind: "notPlain", what: exit };
  if (needsBlock) return { kind: "notPlain", what: "starts durable operations of its own (a call or a helper taking the context, not awaited here), whose order beside the started one the compiled machine could not keep" };
  const piece = renderCode(statement, lo.locals);
  const origin = (l: Local) => aliasOrigin(l, lo.locals);
  // A value handed to a function may be changed by it, unless it is a primitive (`f(event.n)`).
  const mutated = possibleMutations(statement, lo.locals).filter((m) => !(m.deep && isPrimitiveType(m.target.getType())));
  const changed = new Set([...piece.writes, ...piece.declares, ...mutated.map((m) => m.root)].map(origin));
  const read = new Set([...piece.reads].map(origin));
  for (const op of started) {
    const used = renderCode(op.call.call, lo.locals);
    const shared = [...used.reads].find((l) => changed.has(origin(l))) ?? [...used.writes].find((l) => read.has(origin(l)) || changed.has(origin(l)));
    if (shared) return { kind: "shared", local: shared.name, op };
  }
  return undefined;
}

/** Why the statement itself (not a function it declares) could end or pause before the consumer. */
function exitOf(statement: Statement): string | undefined {
  let found: string | undefined;
  const visit = (n: Node) => {
    if (found || (n !== statement && isFunctionLike(n))) return;
    found = EXITS[n.getKind()];
    n.forEachChild(visit);
  };
  visit(statement);
  return found;
}
