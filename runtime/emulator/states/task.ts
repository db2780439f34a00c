import { ErrorNames, StatesError } from "../errors.ts";
import { runWithRetryAndCatch } from "../error-handling.ts";
import { describeResource, invokeIntegration, type ResourceKind } from "../integrations.ts";
import { Limits, REGION, serializePayload } from "../limits.ts";
import type { StateOutcome, StateVisit } from "../state-visit.ts";
import { TokenAnswer } from "../task-tokens.ts";
import type { MockedResponse, TaskCallInfo } from "../types.ts";

/**
 * Task (AWS docs, "Task workflow state"): Arguments → the integration → `$states.result` → Output
 * and Assign. Events per attempt: TaskScheduled, TaskStarted, then TaskSucceeded, TaskFailed or
 * TaskTimedOut (plus TaskSubmitted for `.waitForTaskToken`). Retries do not re-enter the state.
 */
export async function runTask(visit: StateVisit): Promise<StateOutcome> {
  visit.enter();
  const kind = describeResource(visit.state.Resource!);
  return runWithRetryAndCatch(visit, () => attemptTask(visit, kind));
}

async function attemptTask(visit: StateVisit, kind: ResourceKind): Promise<StateOutcome> {
  const { runtime } = visit;
  const token = kind.waitForTaskToken ? runtime.tokens.issue() : undefined;
  const contextExtra = token ? { Task: { Token: token } } : undefined;
  const bindings = visit.bindings({}, contextExtra);
  const args = (await visit.evaluate("Arguments", bindings)) ?? visit.input;
  const timeoutSeconds = await visit.evaluateCount("TimeoutSeconds", bindings, { min: 1, max: Limits.maxSecondsField });
  const heartbeatSeconds = await visit.evaluateCount("HeartbeatSeconds", bindings, { min: 1, max: Limits.maxSecondsField });
  if (timeoutSeconds !== undefined && heartbeatSeconds !== undefined && heartbeatSeconds >= timeoutSeconds) {
    throw new StatesError(ErrorNames.QueryEvaluationError, "HeartbeatSeconds must be smaller than TimeoutSeconds");
  }
  const eventResource = { resourceType: kind.resourceType, resource: kind.resource };
  visit.fiber.record("TaskScheduled", {
    taskScheduledEventDetails: {
      ...eventResource,
      region: REGION,
      parameters: serializePayload(args, "task input"),
      ...(timeoutSeconds !== undefined && { timeoutInSeconds: timeoutSeconds }),
      ...(heartbeatSeconds !== undefined && { heartbeatInSeconds: heartbeatSeconds }),
    },
  });
  visit.fiber.record("TaskStarted", { taskStartedEventDetails: eventResource });
  const info: TaskCallInfo = {
    stateName: visit.name,
    resource: visit.state.Resource!,
    retryCount: visit.retryCount,
    executionName: runtime.executionName,
    now: runtime.clock.now,
    ...(token && { taskToken: token }),
  };
  let resultJson: string;
  try {
    const result = runtime.mocks?.mocks(visit.name)
      ? answerFromMock(runtime.mocks.next(visit.name), kind, visit)
      : await callIntegration(visit, kind, args, info, { timeoutSeconds, heartbeatSeconds });
    resultJson = serializePayload(result, "task result");
  } catch (err) {
    if (err instanceof StatesError) recordTaskError(visit, eventResource, err);
    throw err;
  }
  visit.fiber.record("TaskSucceeded", {
    taskSucceededEventDetails: { ...eventResource, output: resultJson, outputDetails: { truncated: false } },
  });
  const result = JSON.parse(resultJson);
  return visit.exit(visit.bindings({ result }, contextExtra), result, visit.next);
}

interface TaskTimeouts {
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
}

async function callIntegration(visit: StateVisit, kind: ResourceKind, args: unknown, info: TaskCallInfo, timeouts: TaskTimeouts) {
  if (!kind.waitForTaskToken) return invokeIntegration(visit.runtime, kind, args, info);
  const { tokens } = visit.runtime;
  const token = info.taskToken!;
  const answer = new TokenAnswer();
  tokens.open(token, answer);
  let response: unknown;
  try {
    response = await invokeIntegration(visit.runtime, kind, args, info);
  } catch (err) {
    tokens.close(token);
    throw err;
  }
  visit.fiber.record("TaskSubmitted", {
    taskSubmittedEventDetails: {
      resourceType: kind.resourceType,
      resource: kind.resource,
      output: serializePayload(response ?? null, "task submission"),
      outputDetails: { truncated: false },
    },
  });
  return waitForToken(visit, token, answer, { ...info, input: args }, timeouts);
}

/**
 * Waits for SendTaskSuccess / SendTaskFailure on `token`. TimeoutSeconds fails the task with
 * States.Timeout; HeartbeatSeconds with States.HeartbeatTimeout unless SendTaskHeartbeat restarts
 * its clock first. Without TimeoutSeconds only the execution's own limit (one year) ends the wait.
 */
function waitForToken(
  visit: StateVisit,
  token: string,
  answer: TokenAnswer,
  info: TaskCallInfo & { input: unknown },
  timeouts: TaskTimeouts,
) {
  const { clock, tokens, options } = visit.runtime;
  return clock.suspend<unknown>(visit.fiber.cancellation, (resume, fail) => {
    const timeOut = (error: string) => () => {
      tokens.close(token, true);
      fail(new StatesError(error, `The task did not ${error === ErrorNames.Timeout ? "complete" : "send a heartbeat"} in time`));
    };
    let cancelHeartbeat = () => {};
    const restartHeartbeat = () => {
      cancelHeartbeat();
      if (timeouts.heartbeatSeconds !== undefined) {
        cancelHeartbeat = clock.setTimer(timeouts.heartbeatSeconds, timeOut(ErrorNames.HeartbeatTimeout));
      }
    };
    const cancelTimeout =
      timeouts.timeoutSeconds !== undefined ? clock.setTimer(timeouts.timeoutSeconds, timeOut(ErrorNames.Timeout)) : () => {};
    restartHeartbeat();
    answer.waitWith({ succeed: resume, fail, heartbeat: restartHeartbeat });
    try {
      options.onTaskToken?.(token, info);
    } catch (err) {
      fail(new StatesError(ErrorNames.Runtime, `onTaskToken threw: ${(err as Error).message}`));
    }
    return () => {
      cancelTimeout();
      cancelHeartbeat();
      tokens.close(token);
    };
  });
}

/** A mocked response replaces the whole integration, the callback wait of `.waitForTaskToken` included. */
function answerFromMock(response: MockedResponse, kind: ResourceKind, visit: StateVisit): unknown {
  if (kind.lambdaInvoke) visit.runtime.stats.lambdaInvocations++;
  if ("Throw" in response) throw new StatesError(response.Throw.Error ?? "", response.Throw.Cause ?? "");
  return response.Return;
}

function recordTaskError(visit: StateVisit, eventResource: { resourceType: string; resource: string }, err: StatesError) {
  const timedOut = err.error === ErrorNames.Timeout || err.error === ErrorNames.HeartbeatTimeout;
  const details = { ...eventResource, error: err.error, cause: err.cause };
  if (timedOut) visit.fiber.record("TaskTimedOut", { taskTimedOutEventDetails: details });
  else visit.fiber.record("TaskFailed", { taskFailedEventDetails: details });
}
