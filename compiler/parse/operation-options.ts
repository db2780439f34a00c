import type { NoOptionsSpec, OptionsSpec } from "./options.ts";

/**
 * Which options each operation accepts, and how each is read (see options.ts). What is not
 * listed is refused: it changes how values are stored or how completion is decided by a
 * function, which ASL cannot carry. Step and callback options are read when their states are
 * built (transform/states.ts, transform/retry.ts).
 */

/**
 * map and parallel: completionConfig thresholds and itemNamer are evaluated by code at run time;
 * maxConcurrency must be a literal, since it becomes the MaxConcurrency field of the state.
 */
function batchOptions(kind: "map" | "parallel"): OptionsSpec {
  return {
    notObject: { message: `${kind} options must be an object literal`, hint: "write the options inline, e.g. `{ maxConcurrency: 5 }`" },
    options: {
      maxConcurrency: {
        read: "number",
        refused: { message: "maxConcurrency must be a number literal", hint: "it becomes the MaxConcurrency field of the state: write a number" },
      },
      completionConfig: {
        read: "code",
        refusedInside: {
          shouldComplete: { message: "a custom shouldComplete function is not supported", hint: "use minSuccessful, toleratedFailureCount or toleratedFailurePercentage" },
        },
      },
      ...(kind === "map" ? { itemNamer: { read: "code" } as const } : {}),
    },
    unknown: (key) => ({
      message: `the ${kind} option \`${key}\` is not supported`,
      hint: "supported: maxConcurrency, completionConfig (thresholds)" + (kind === "map" ? ", itemNamer" : ""),
    }),
  };
}

export const MAP_OPTIONS = batchOptions("map");
export const PARALLEL_OPTIONS = batchOptions("parallel");

/** `{ name: "b", func: async (ctx) => { ... } }` in the branch list of parallel; other keys are ignored. */
export const PARALLEL_BRANCH: OptionsSpec = {
  options: {
    name: { read: "string", refused: { message: "a parallel branch name must be a string literal", hint: "write the name as a literal" } },
    func: {
      read: "code",
      required: { code: "D2S2004", refusal: { message: "a named parallel branch needs `func`", hint: "write `{ name: \"b\", func: async (ctx) => { ... } }`" } },
    },
  },
};

export const INVOKE_OPTIONS: NoOptionsSpec = {
  none: { message: "invoke options (serdes, tenantId) are not supported", hint: "remove the options" },
};

export const CHILD_CONTEXT_OPTIONS: NoOptionsSpec = {
  none: { message: "child context options (serdes, errorMapper, ...) are not supported", hint: "remove the options; the default behaviour is compiled exactly" },
};

/** withRetry's options are required; its block always runs in a child context, as by default. */
export const WITH_RETRY_OPTIONS: OptionsSpec = {
  notObject: { message: "withRetry options must be an object literal", hint: "write `{ retryStrategy: ... }` inline" },
  required: true,
  options: { retryStrategy: { read: "code" } },
  unknown: (key) => ({
    message: `the withRetry option \`${key}\` is not supported`,
    hint: "only retryStrategy is; the block always runs in a child context, as by default",
  }),
};
