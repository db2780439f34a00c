/**
 * The wire protocol between the compiled machine (written by the compiler) and the fragments
 * runtime (runtime/fragments, bundled into the Lambda): every key, name and field both sides must
 * agree on is written here once. It imports nothing else of this project, so the bundle stays small.
 */
export * from "./errors.ts";
export * from "./event.ts";
export * from "./markers.ts";
export * from "./relay.ts";
