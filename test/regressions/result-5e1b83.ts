// Found by the fuzzer: npm run fuzz -- --seed 3 --replay 47 (shrunk to path 47:0:0:0:2:1:1:1:1:1:1:1:1:1:2:3:3:3:4:3:2:2:2:2:2).
// Status: passes as of the fix that lets a fragment throwing inside try hand its catch the locals it changed.
// divergence at result: SDK {"trail":[],"state":{"count":1,"last":"start","tags":[]}} vs compiled {"trail":[],"state":{"count":0,"last":"start","tags":[]}} (1 difference(s))
// signature: divergence result
//
//               SDK                                                      | compiled
//   status      SUCCEEDED                                                | SUCCEEDED
// ! result      {"trail":[],"state":{"count":1,"last":"start","tags":[]… | {"trail":[],"state":{"count":0,"last":"start","tags":[]…  <- first difference
//   error       -                                                        | -
//   operations                                                           |
//     1         step "s0" SUCCEEDED attempts=1                           | step "s0" SUCCEEDED attempts=1
// 1 difference(s)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  try {
    state.count += await context.step("s0", async (stepCtx) => {
      return ((event.n + stepCtx.attempt) % 2);
    });
    throw new Error((state.last + "a"));
  } catch (e0) {
  }
  return { trail, state };
});
