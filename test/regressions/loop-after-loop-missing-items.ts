// Found by the fuzzer (seed 130, program 1469), written small by hand: a for-of loop then a while
// loop. The optimizer folded the Pass that sets `w = 0` into the for-of loop's Choice as a last
// rule that always matches, then folded that Choice (with the while loop's rules, appended behind
// the always-matching rule and reading `$w`) into the Choice of the type guard before the loop.
// With `event.items` missing, the guard's rules fail and the rules reading `$w` are evaluated
// before `w` was ever assigned: States.QueryEvaluationError where the SDK fails with the
// TypeError "event.items is not iterable". Fixed: rules after an always-matching rule, and the
// Default, are unreachable and are neither kept nor folded (compiler/optimize/fold-choice.ts).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { items: number[]; n: number }, context: DurableContext) => {
  const base = event.n - 1;
  for (const x of event.items) {
    await context.wait({ seconds: 1 + (x % 2) });
  }
  let w = 0;
  while (w < 2) {
    w++;
    await context.step(`s${w}`, async () => w + base);
  }
  return { w, base };
});
