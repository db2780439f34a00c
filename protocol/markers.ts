/**
 * Marker objects: JavaScript values with no JSON form travel between fragments through ASL
 * Variables as a one-key object `{ [marker]: body }` (runtime/fragments/values.ts decodes them).
 */

/** `{"__undefined__": true}` is `undefined`: written by fragments (encodeValue) and by the machine (a `let x;`, an empty callback answer); read by decodeValue. */
export const UNDEFINED_MARKER_KEY = "__undefined__";

/**
 * `{"__d2s_value": {"at": i, "of": "<devalue text>"}}` is a local JSON cannot hold as it is (NaN, a Date, a
 * class instance, an Error, objects shared with another local...): written and read by the fragments only (values.ts).
 */
export const VALUE_MARKER_KEY = "__d2s_value";

/** `{"__d2s_batch": {outcomes, completion, maxConcurrency}}` is what a Map or Parallel state leaves (machine writes it, batch.ts decodes it to a BatchResult). */
export const BATCH_MARKER = "__d2s_batch";

/** `{"__d2s_promise": {combinator, outcomes}}` is what promise.all / allSettled leave (machine writes it, values.ts decodes it). */
export const PROMISE_MARKER_KEY = "__d2s_promise";

/**
 * `{"__d2s_serdes": {"key", "entityId", "data"?}}` is an operation's result kept as the user's
 * custom serdes wrote it (`data`, absent for undefined), as the SDK's checkpoint holds it: the
 * fragments write it (a step) or the machine does (a callback's answer), and every fragment that
 * reads the local deserialises it again with the serdes registered under `key` (runtime/fragments/serdes.ts).
 */
export const SERDES_MARKER_KEY = "__d2s_serdes";

/** Prefix of the stack line in which a fragment's error carries its cause (errors.ts, namedError); the retry loop reads `retryAfterSeconds` from it. */
export const CAUSE_MARKER = "d2s-cause:";

/** Prefix of the stack line in which a fragment's failure carries the value its code threw, encoded (errors.ts): the catch block gets that value back. */
export const THROWN_MARKER = "d2s-thrown:";

/**
 * The stack line that marks a failure of the handler's own code in a fragment (errors.ts,
 * carriedFailure; carry.ts). A callback Task fails either so (the code merged into it) or by an
 * answer's failure, whose text may look like anything, the JSON of a Lambda error included: the
 * machine tells the two apart by this line in the Cause's trace (error-records.ts).
 */
export const CODE_FAILURE_MARKER = "d2s-code-failure";
