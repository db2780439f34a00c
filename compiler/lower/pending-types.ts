import type { Node, VariableDeclaration } from "ts-morph";
import type { Local } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";
import type { DurableCall } from "../parse/durable-calls.ts";

/**
 * What the lowering holds between a statement and a later one that consumes it: a createCallback
 * whose promise is awaited later (callbacks.ts), an operation started in a `const` (pending.ts).
 * Their own file, so that the Lowering (context.ts) can hold them without importing the modules
 * that lower them.
 */
export interface PendingCallback {
  call: DurableCall;
  id?: Local;
  handOn: CodePiece[];
  step?: DurableCall;
  /** Awaited after other durable operations: the ASL Variable with its creation time (cfg.ts, CreateCallbackOp). */
  created?: Local;
  /** The id local, when the callback goes through the relay: the marker state makes the id (create-callback-shape.ts). */
  relay?: Local;
}

export interface PendingOp {
  call: DurableCall;
  declaration: VariableDeclaration;
  /** Run already, by a combinator that did not take it: the local holding its outcome. */
  settled?: Local;
  /** The code of the block it was created in, and how much of it came before (started-between.ts). */
  createdAt?: { code: CodePiece[]; index: number };
  /** Plain statements (not log lines) lowered after it while it waits to run (started-between.ts). */
  between?: Node[];
}
