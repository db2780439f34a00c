import { emitBatch, emitCombinator } from "./concurrency.ts";
import { emitCreateCallback } from "./create-callback.ts";
import { emitInvoke } from "./invoke.ts";
import type { EmitterTable } from "./operation-site.ts";
import { emitStep } from "./step.ts";
import { emitWait } from "./wait.ts";
import { emitCondition } from "./wait-for-condition.ts";

/** The emitter of each kind of durable operation: the builder (states.ts) looks the kind up here. */
export const EMITTERS: EmitterTable = {
  step: emitStep,
  waitForCallback: emitStep,
  wait: emitWait,
  waitForCondition: emitCondition,
  invoke: emitInvoke,
  createCallback: emitCreateCallback,
  map: emitBatch,
  parallel: emitBatch,
  promise: emitCombinator,
};
