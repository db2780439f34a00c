/** `serve`: the Step Functions and Lambda wire protocols on the local emulator (docs/serve.md). */
export { BODY_LIMITS, startServer, type RunningServer, type ServeOptions } from "./server.ts";
export type { ServeEvent } from "./executions.ts";
