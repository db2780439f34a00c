// Found by the fuzzer: npm run fuzz -- --seed 300 --replay 114 (shrunk to path 114:0:0:0:2:3:1:1:1:1:1:1:1:1:1:1:1:1).
// Status: fixed (context.promise.all / race / any come back through their child context's JSON: runtime/fragments/values.ts, Settled.json).
// divergence at result: SDK {"trail":["null,\"late 1\""],"state":{"count":0,"last":"start","tags":[]}} vs compiled {"trail":["undefined,\"late 1\""],"state":{"count":0,"last":"start","tags":[]}} (1 difference(s))
// signature: divergence result
//
//               SDK                                                      | compiled
//   status      SUCCEEDED                                                | SUCCEEDED
// ! result      {"trail":["null,\"late 1\""],"state":{"count":0,"last":… | {"trail":["undefined,\"late 1\""],"state":{"count":0,"l…  <- first difference
//   error       -                                                        | -
//   operations                                                           |
//     1         createCallback "cc0" SUCCEEDED                           | createCallback "cc0" SUCCEEDED
//     2         createCallback "cc1" SUCCEEDED                           | createCallback "cc1" SUCCEEDED
//     3         childContext (unnamed) SUCCEEDED                         | childContext (unnamed) SUCCEEDED
// 1 difference(s)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  const [cbp0] = await context.createCallback<string>("cc0", { timeout: { seconds: 30 } });
  const [cbp2] = await context.createCallback<string>("cc1", { timeout: { seconds: 60 } });
  const answers4 = await context.promise.all<unknown>([cbp0, cbp2]);
  trail.push((answers4 as unknown[]).map((r) => String(r)).join(","));
  return { trail, state };
});
