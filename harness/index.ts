/**
 * The harness over the compiler and the runtime: compiles a handler and runs it on the emulator,
 * runs it under the SDK's LocalDurableTestRunner, and compares the two traces (docs/verify.md).
 * The CLI's `run` (of a .ts handler) and `verify` go through here.
 */
export { runCompiled, type CompiledRun } from "./run.ts";
export { countInvocations, stateOfEvents } from "./invocation-counts.ts";
export { closeOracle, verifyScenario, type Verification } from "./verify.ts";
export { OracleError, SdkRunnerError, runOnSdk, type OracleOptions } from "./oracle/index.ts";
export { compareTraces, formatDiff, type Comparison, type Difference } from "./compare/index.ts";
export type { OperationKind, OperationRecord, OperationRecordStatus, Trace, TraceError } from "./compare/index.ts";
