import { AwsError } from "./aws-error.ts";
import { startRequest, type ExecutionRecord, type Executions } from "./executions.ts";
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, requiredString, type Body } from "./fields.ts";
import { page } from "./paging.ts";
import type { StateMachineRecord, StateMachines } from "./state-machines.ts";
import { addTags, tagKeys, tagList, tagsResponse } from "./tags.ts";
import { testState } from "./test-state.ts";
import { validateDefinitionText } from "./validation.ts";
import { Limits } from "../emulator/limits.ts";

type Operation = (body: Body, region: string) => unknown | Promise<unknown>;

/** AWS JSON 1.0 sends timestamps as epoch seconds. */
const seconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

/**
 * The Step Functions operations `serve` answers (`X-Amz-Target: AWSStepFunctions.<Op>`), each a
 * function of the request body returning the response body. Field names are the API's. A Map, so
 * that a target such as `AWSStepFunctions.constructor` finds nothing rather than a prototype member.
 */
export function stepFunctionsOperations(machines: StateMachines, executions: Executions): Map<string, Operation> {
  const operations: Record<string, Operation> = {
    CreateStateMachine: (body, region) => {
      const m = machines.create(body, region);
      return { stateMachineArn: m.stateMachineArn, creationDate: seconds(m.creationDate) };
    },
    UpdateStateMachine: (body) => {
      const m = machines.update(body);
      return { updateDate: seconds(m.updateDate), revisionId: m.revisionId };
    },
    DescribeStateMachine: (body) => describeMachine(machines.get(requiredString(body, "stateMachineArn"))),
    ListStateMachines: (body) => listStateMachines(machines, body),
    ValidateStateMachineDefinition: (body) => {
      const maxResults = optionalInteger(body, "maxResults", 0, 2 ** 31 - 1) || 100;
      return validateDefinitionText(requiredString(body, "definition", Limits.definitionBytes), maxResults);
    },
    StartExecution: (body) => {
      const request = startRequest(body);
      const { machine, testCase } = machines.forStart(request.stateMachineArn);
      const e = executions.start(machine, request, testCase);
      return { executionArn: e.executionArn, startDate: seconds(e.startDate) };
    },
    ListExecutions: (body) => listExecutions(machines, executions, body),
    StopExecution: async (body) => {
      const record = executions.get(requiredString(body, "executionArn", 256));
      await executions.stop(record, optionalString(body, "error", 256), optionalString(body, "cause", 32768));
      return { stopDate: seconds(stopDateOf(record)) };
    },
    DescribeExecution: (body) => describeExecution(executions.get(requiredString(body, "executionArn"))),
    GetExecutionHistory: (body) => executionHistory(executions, body),
    SendTaskSuccess: (body) => (executions.sendTaskSuccess(body), {}),
    SendTaskFailure: (body) => (executions.sendTaskFailure(body), {}),
    SendTaskHeartbeat: (body) => (executions.sendTaskHeartbeat(body), {}),
    DeleteStateMachine: (body) => {
      const stateMachineArn = requiredString(body, "stateMachineArn", 256);
      void machines.delete(stateMachineArn, executions.running(stateMachineArn)).then(() => executions.forget(stateMachineArn));
      return {};
    },
    DescribeStateMachineForExecution: (body) => {
      optionalEnum(body, "includedData", ["ALL_DATA", "METADATA_ONLY"] as const);
      const e = executions.get(requiredString(body, "executionArn", 256));
      const m = e.machine;
      return { stateMachineArn: e.stateMachineArn, name: m.name, definition: m.definition, roleArn: m.roleArn, updateDate: seconds(m.updateDate), revisionId: m.revisionId };
    },
    TagResource: (body) => {
      const resourceArn = requiredString(body, "resourceArn", 256);
      addTags(taggable(machines, resourceArn).tags, tagList(body, "tags"), resourceArn);
      return {};
    },
    UntagResource: (body) => {
      const resourceArn = requiredString(body, "resourceArn", 256);
      const keys = tagKeys(body);
      const { tags } = taggable(machines, resourceArn);
      for (const key of keys) tags.delete(key);
      return {};
    },
    ListTagsForResource: (body) => tagsResponse(taggable(machines, requiredString(body, "resourceArn", 256)).tags),
    StartSyncExecution: async (body) => {
      const request = startRequest(body);
      optionalString(body, "traceHeader", 256);
      optionalEnum(body, "includedData", ["ALL_DATA", "METADATA_ONLY"] as const);
      const { machine, testCase } = machines.forStart(request.stateMachineArn);
      const e = await executions.startSync(machine, request, testCase);
      // DescribeExecution's fields, less redriveCount (Express executions are never redriven), plus billing estimates.
      const { redriveCount: _never, ...result } = describeExecution(e);
      const billedMs = Math.max(100, Math.ceil((result.stopDate! - result.startDate!) * 10) * 100);
      return { ...result, billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: billedMs } };
    },
    TestState: (body) => testState(body, executions),
  };
  return new Map(Object.entries(operations));
}

function describeMachine(m: StateMachineRecord) {
  return {
    stateMachineArn: m.stateMachineArn,
    name: m.name,
    status: m.status,
    definition: m.definition,
    roleArn: m.roleArn,
    type: m.type,
    creationDate: seconds(m.creationDate),
    revisionId: m.revisionId,
  };
}

/** A stopped execution ended when it was stopped; another when its virtual clock says, from the real start. */
function stopDateOf(e: ExecutionRecord): Date | undefined {
  if (e.stopDate) return e.stopDate;
  return e.result ? new Date(e.startDate.getTime() + e.result.stats.virtualSeconds * 1000) : undefined;
}

function describeExecution(e: ExecutionRecord) {
  const result = e.result;
  const stopDate = stopDateOf(e);
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: result?.status ?? "RUNNING",
    startDate: seconds(e.startDate),
    stopDate: seconds(stopDate),
    input: e.input,
    inputDetails: { included: true },
    ...(result?.status === "SUCCEEDED" && { output: JSON.stringify(result.output ?? null), outputDetails: { included: true } }),
    ...(result?.error !== undefined && { error: result.error }),
    ...(result?.cause !== undefined && { cause: result.cause }),
    redriveCount: 0,
  };
}

/** Pages of `maxResults` (default 100, at most 1000), oldest first unless `reverseOrder`. */
function executionHistory(executions: Executions, body: Body) {
  const executionArn = requiredString(body, "executionArn", 256);
  const reverseOrder = optionalBoolean(body, "reverseOrder");
  const maxResults = optionalInteger(body, "maxResults", 0, 1000) || 100;
  const nextToken = optionalString(body, "nextToken", 1024);
  optionalBoolean(body, "includeExecutionData");
  const all = executions.history(executions.get(executionArn)).map((event) => ({ ...event, timestamp: seconds(event.timestamp) }));
  if (reverseOrder) all.reverse();
  const { items, nextToken: next } = page(all, maxResults, nextToken);
  return { events: items, ...(next && { nextToken: next }) };
}

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;

/**
 * ListExecutions of a state machine, newest first, in pages of `maxResults` (default 100, at most
 * 1000), `statusFilter` as the API's. serve never redrives, so `redriveFilter` REDRIVEN lists none.
 * Map runs (`mapRunArn`) do not exist on serve: serve has no Distributed Map.
 */
function listExecutions(machines: StateMachines, executions: Executions, body: Body) {
  if (body.mapRunArn !== undefined && body.stateMachineArn === undefined) throw new AwsError("ResourceNotFound", "serve has no map runs (Distributed Map)");
  const machine = machines.get(requiredString(body, "stateMachineArn", 256));
  const statusFilter = optionalEnum(body, "statusFilter", STATUSES);
  const redriveFilter = optionalEnum(body, "redriveFilter", ["REDRIVEN", "NOT_REDRIVEN"] as const);
  const maxResults = optionalInteger(body, "maxResults", 0, 1000) || 100;
  const nextToken = optionalString(body, "nextToken", 3096);
  const listed = executions
    .list(machine.stateMachineArn)
    .map((e) => ({ e, status: e.result?.status ?? "RUNNING" }))
    .filter(({ status }) => (statusFilter === undefined || status === statusFilter) && redriveFilter !== "REDRIVEN");
  const { items, nextToken: next } = page(listed, maxResults, nextToken);
  const list = items.map(({ e, status }) => ({
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status,
    startDate: seconds(e.startDate),
    ...(e.result && { stopDate: seconds(stopDateOf(e)) }),
    redriveCount: 0,
  }));
  return { executions: list, ...(next && { nextToken: next }) };
}

/** ListStateMachines: oldest first, in pages of `maxResults` (default 100, at most 1000). */
function listStateMachines(machines: StateMachines, body: Body) {
  const maxResults = optionalInteger(body, "maxResults", 0, 1000) || 100;
  const { items, nextToken } = page(machines.list(), maxResults, optionalString(body, "nextToken", 1024));
  const stateMachines = items.map((m) => ({ stateMachineArn: m.stateMachineArn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) }));
  return { stateMachines, ...(nextToken && { nextToken }) };
}

/** The machine a tag operation names: InvalidArn for no state machine ARN, ResourceNotFound for an unknown one. */
function taggable(machines: StateMachines, resourceArn: string): StateMachineRecord {
  try {
    return machines.get(resourceArn);
  } catch (err) {
    if (err instanceof AwsError && err.type === "StateMachineDoesNotExist") throw new AwsError("ResourceNotFound", `Resource not found: '${resourceArn}'`);
    throw err;
  }
}
