import { messages } from "../diagnostics.ts";
import type { NoOptionsSpec, OptionsSpec } from "./options.ts";

/**
 * Which options each operation accepts, and how each is read (see options.ts). What is not
 * listed is refused: it changes how values are stored or how completion is decided by a
 * function, which ASL cannot carry. Step and callback options are read when their states are
 * built (transform/options.ts, transform/retry.ts).
 */

/**
 * map and parallel: completionConfig thresholds and itemNamer are evaluated by code at run time;
 * maxConcurrency must be a literal, since it becomes the MaxConcurrency field of the state.
 */
function batchOptions(kind: "map" | "parallel"): OptionsSpec {
  return {
    notObject: messages.D2S2008.batchOptionsNotObject({ kind }),
    what: `${kind} options`,
    options: {
      maxConcurrency: { read: "number", refused: messages.D2S2008.maxConcurrencyNotLiteral() },
      completionConfig: { read: "code", refusedInside: { shouldComplete: messages.D2S2008.customShouldComplete() } },
      ...(kind === "map" ? { itemNamer: { read: "code" } as const } : {}),
    },
    unknown: (key) => messages.D2S2008.unknownBatchOption({ kind, key }),
  };
}

export const MAP_OPTIONS = batchOptions("map");
export const PARALLEL_OPTIONS = batchOptions("parallel");

/** `{ name: "b", func: async (ctx) => { ... } }` in the branch list of parallel; other keys are ignored. */
export const PARALLEL_BRANCH: OptionsSpec = {
  options: {
    name: { read: "string", refused: messages.D2S2008.parallelBranchName() },
    func: { read: "code", required: messages.D2S2004.parallelBranchNeedsFunc() },
  },
};

/**
 * invoke's options: `tenantId` is refused with its own reason (the state has no field for it),
 * the serdes with the general one; options that are no object literal as well.
 */
export const INVOKE_OPTIONS: OptionsSpec = {
  notObject: messages.D2S2008.invokeOptions(),
  what: "invoke options",
  options: {},
  unknown: (key) => (key === "tenantId" ? messages.D2S2008.invokeTenantId() : messages.D2S2008.invokeOptions()),
};

export const CHILD_CONTEXT_OPTIONS: NoOptionsSpec = { none: messages.D2S2008.childContextOptions() };

/** withRetry's options are required; its block always runs in a child context, as by default. */
export const WITH_RETRY_OPTIONS: OptionsSpec = {
  notObject: messages.D2S2008.withRetryOptionsNotObject(),
  what: "withRetry options",
  required: true,
  options: { retryStrategy: { read: "code" } },
  unknown: (key) => messages.D2S2008.unknownWithRetryOption({ key }),
};
