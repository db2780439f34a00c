import {
  type DurableOperation,
  ExecutionStatus,
  OperationType,
  type TestResult,
} from "@aws/durable-execution-sdk-js-testing";
import type { OperationKind, OperationRecord, OperationRecordStatus, Trace } from "../compare/index.ts";

/**
 * Turns a LocalDurableTestRunner result into a Trace (docs/internals.md, docs/verify.md).
 * Ids, timestamps, callback ids, invocation counts and step results are dropped: only what the
 * compiled machine must reproduce is kept.
 */
export function traceFromSdk(result: TestResult<unknown>): Trace {
  const operations = result.getOperations();
  const children = new Map<string | undefined, DurableOperation[]>();
  for (const op of operations) {
    const parent = op.getParentId();
    const list = children.get(parent) ?? [];
    list.push(op);
    children.set(parent, list);
  }
  const records = (parentId: string | undefined): OperationRecord[] =>
    (children.get(parentId) ?? []).map((op) => toRecord(op, children, records));

  const trace: Trace = { status: result.getStatus() === ExecutionStatus.SUCCEEDED ? "SUCCEEDED" : "FAILED", operations: records(undefined) };
  if (trace.status === "SUCCEEDED") {
    const value = result.getResult();
    if (value !== undefined) trace.result = value;
  } else {
    const error = result.getError();
    trace.error = { errorType: error.errorType ?? "", errorMessage: error.errorMessage ?? "" };
  }
  return trace;
}

type ChildLookup = Map<string | undefined, DurableOperation[]>;

function toRecord(op: DurableOperation, children: ChildLookup, records: (parentId: string) => OperationRecord[]): OperationRecord {
  const kind = kindOf(op);
  const id = op.getId() ?? "";
  const record: OperationRecord = { kind, name: op.getName() ?? null, status: statusOf(op, children) };
  if (kind === "step" || kind === "waitForCondition") record.attempts = op.getStepDetails()?.attempt ?? 0;
  // What the runner waits: it adds the seconds with Date.setSeconds, which truncates a fraction; an end in the past is due at once.
  if (kind === "wait") record.waitSeconds = Math.max(0, Math.trunc(op.getWaitDetails()?.waitSeconds ?? 0));
  // waitForCallback's CALLBACK + submitter STEP children are how the SDK implements it, not
  // operations of the user's program; they are summarised by the record's status.
  if (kind === "childContext" || kind === "parallel" || kind === "map") record.children = records(id);
  return record;
}

function kindOf(op: DurableOperation): OperationKind {
  const subType = op.getSubType() as string | undefined;
  switch (op.getType()) {
    case OperationType.STEP:
      return subType === "WaitForCondition" ? "waitForCondition" : "step";
    case OperationType.WAIT:
      return "wait";
    case OperationType.CALLBACK:
      return "createCallback";
    case OperationType.CHAINED_INVOKE:
      return "invoke";
    case OperationType.CONTEXT:
      if (subType === "WaitForCallback") return "waitForCallback";
      if (subType === "Parallel") return "parallel";
      if (subType === "Map") return "map";
      // RunInChildContext, ParallelBranch, MapIteration, promise.* wrappers, custom subTypes.
      return "childContext";
    default:
      throw new Error(`oracle: unexpected operation type ${String(op.getType())}`);
  }
}

/**
 * A waitForCallback's status is its callback's outcome (SUCCEEDED / FAILED / TIMED_OUT) when the
 * callback finished; otherwise (the submitter failed) the CONTEXT's own status.
 */
function statusOf(op: DurableOperation, children: ChildLookup): OperationRecordStatus {
  if (op.isWaitForCallback()) {
    const callback = (children.get(op.getId()) ?? []).find((c) => c.getType() === OperationType.CALLBACK);
    const status = callback?.getStatus() as string | undefined;
    if (status && status !== "STARTED") return status as OperationRecordStatus;
  }
  return (op.getStatus() as string as OperationRecordStatus | undefined) ?? "STARTED";
}
