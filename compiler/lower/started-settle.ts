import type { Statement } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { asDurableCall } from "../parse/durable-calls.ts";
import { settleStarted } from "./batch.ts";
import type { Lowering } from "./context.ts";
import { isStartable, unsettled } from "./pending.ts";

/**
 * Plain code stood between operations started in `const`s and the statement that consumes them
 * (started-between.ts). Under the SDK the operations began at their calls, before that code; if
 * the code throws, they still run to their end (the SDK's runner records them) and the handler
 * fails with the code's error. So the compiled machine runs the started operations first, in one
 * Parallel state whose outcomes are kept (batch.ts, settleStarted), then that code, then the
 * consumer, which reads the kept outcomes: the same records, values and error. An operation the
 * consumer starts itself (`await context.wait(...)`, an element written in the combinator's
 * array) would then run after the started ones, where under the SDK it runs beside them: refused.
 */
export function settleBeforeConsumer(lo: Lowering, consumer: Statement): void {
  const [first] = unsettled(lo);
  const own = consumer.getDescendants().map((n) => asDurableCall(n)).find((c) => c !== undefined && isStartable(c));
  if (own) fail(own.call, messages.D2S2007.startsAfterCode({ name: first.declaration.getName(), line: first.declaration.getStartLineNumber(), code: first.between![0].getStartLineNumber() }));
  const since = first.createdAt!;
  // Plain code never ends a block (started-between.ts), so the code since the first creation is this block's.
  if (since.code !== lo.cur.code) throw new Error("started operations: the code since their creation is not in the current block");
  const moved = since.code.splice(since.index);
  const op = settleStarted(lo, first);
  const next = lo.newBlock(consumer);
  lo.cur.term = { kind: "op", op, target: undefined, next };
  lo.startAt(next);
  lo.cur.code.push(...moved);
  first.between = [];
}
