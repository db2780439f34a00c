// Found by the fuzzer: npm run fuzz -- --seed 1 --replay 42 (shrunk).
// Status: passes as of 9fc6a3c (the compiler was fixed after this was found).
// divergence at result: SDK {"trail":[],"state":{"count":0,"last":"start","tags":[]}} vs compiled {"trail":[],"state":{"count":0,"last":"start","tags":[]},"t0":""} (1 difference(s))
// signature: divergence result
//
//               SDK                                                      | compiled
//   status      SUCCEEDED                                                | SUCCEEDED
// ! result      {"trail":[],"state":{"count":0,"last":"start","tags":[]… | {"trail":[],"state":{"count":0,"last":"start","tags":[]…  <- first difference
//   error       -                                                        | -
//   operations                                                           |
//     1         waitForCallback "cb0" SUCCEEDED                          | waitForCallback "cb0" SUCCEEDED
// 1 difference(s)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  const trail: string[] = [];
  const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };
  const t0 = await context.waitForCallback("cb0", async () => {}, { timeout: { seconds: 1 } });
  return { trail, state, t0 };
});
