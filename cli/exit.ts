/** Exit codes (architecture.md, section 4): 0 ok; 1 compile errors, failed execution or divergence; 2 usage errors. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands for problems with the user's input (missing file, bad flag value): printed without a stack. */
export class UsageError extends Error {}
