// Found by the fuzzer: npm run fuzz -- --seed 108 --replay 397 (shrunk to path 397:1:2:3:3:3:3:3:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2).
// Status: fixed (identity comparisons make the locals one object across operations: compiler/analyze/identity-reads.ts).
// divergence at result: SDK {"trail":["alias 0 0 true"],"state":{"count":0,"last":"start","tags":[]},"val0":[{"k":0},{"k":2}]} vs compiled {"trail":["alias 0 0 false"],"state":{"count":0,"last":"start","tags":[]},"val0":[{"k":0},{"k":2}]} (1 difference(s))
// signature: divergence result
//
//               SDK                                                      | compiled
//   status      SUCCEEDED                                                | SUCCEEDED
// ! result      {"trail":["alias 0 0 true"],"state":{"count":0,"last":"… | {"trail":["alias 0 0 false"],"state":{"count":0,"last":…  <- first difference
//   error       -                                                        | -
//   operations                                                           |
//     1         wait (unnamed) SUCCEEDED 1s                              | wait (unnamed) SUCCEEDED 1s
// 1 difference(s)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  const val0: Array<{ k: number }> = [{ k: event.n }, { k: 2 }];
  const first1 = val0[0]!;
  await context.wait({ seconds: (1 < 0 && event.flag) ? 1 : 1 });
  trail.push(`alias ${val0[0]!.k} ${first1.k} ${val0[0] === first1}`);
  return { trail, state, val0 };
});
