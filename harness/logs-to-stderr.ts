/**
 * What a handler logs during a local run goes to stderr, so that stdout carries only the command's
 * own output (`run --json` and `verify --json` print exactly one JSON object). Handlers log through
 * `console` and, like the SDK's default logger and the fragments' (runtime/fragments/logger.ts),
 * through a Console of their own on `process.stdout`: both are redirected. Runs may overlap (Map
 * iterations call fragments at once, verify runs both sides): the first one in redirects, the last
 * one out restores.
 */
let depth = 0;
let saved: { write: typeof process.stdout.write; log: typeof console.log; info: typeof console.info; debug: typeof console.debug } | undefined;

export async function withLogsOnStderr<T>(run: () => Promise<T>): Promise<T> {
  if (depth++ === 0) {
    saved = { write: process.stdout.write, log: console.log, info: console.info, debug: console.debug };
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
  }
  try {
    return await run();
  } finally {
    if (--depth === 0 && saved) {
      process.stdout.write = saved.write;
      Object.assign(console, { log: saved.log, info: saved.info, debug: saved.debug });
      saved = undefined;
    }
  }
}
