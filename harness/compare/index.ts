export { compareTraces, type Comparison, type Difference } from "./compare.ts";
export { formatDiff } from "./format.ts";
export type { OperationKind, OperationRecord, OperationRecordStatus, Trace, TraceError } from "./trace.ts";
