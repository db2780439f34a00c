import { describe, expect, it } from "vitest";
import { Execution, TaskTokenError } from "../../runtime/emulator/index.ts";
import { eventTypes, LAMBDA_TOKEN, machine } from "./helpers.ts";

/** What `action` throws (undefined when it does not throw). */
function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  return undefined;
}

const approval = (extra: Record<string, unknown> = {}) =>
  machine({
    Approve: {
      Type: "Task",
      Resource: LAMBDA_TOKEN,
      Arguments: { FunctionName: "approve", Payload: { token: "{% $states.context.Task.Token %}" } },
      Output: "{% $states.result %}",
      End: true,
      ...extra,
    },
  });

describe("Task tokens", () => {
  it("SendTaskSuccess inside onTaskToken: the output JSON becomes $states.result", async () => {
    const exec: Execution = new Execution(approval(), {
      lambda: () => ({ submitted: true }),
      onTaskToken: (token) => exec.sendTaskSuccess(token, '{"approved":true}'),
    });
    const r = await exec.start();
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { approved: true } });
    expect(eventTypes(r)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("SendTaskSuccess from a later microtask is seen before virtual time moves", async () => {
    const exec: Execution = new Execution(approval({ TimeoutSeconds: 1 }), {
      lambda: () => null,
      onTaskToken: (token) => {
        void Promise.resolve().then(() => Promise.resolve()).then(() => exec.sendTaskSuccess(token, '"late but in time"'));
      },
    });
    const r = await exec.start();
    expect(r.output).toBe("late but in time");
    expect(r.stats.virtualSeconds).toBe(0);
  });

  it("SendTaskFailure fails the task with the given error and cause", async () => {
    const exec: Execution = new Execution(approval(), {
      lambda: () => null,
      onTaskToken: (token) => exec.sendTaskFailure(token, "Rejected", "no budget"),
    });
    const r = await exec.start();
    expect(r).toMatchObject({ status: "FAILED", error: "Rejected", cause: "no budget" });
    const failed = r.history.find((e) => e.type === "TaskFailed") as Record<string, any>;
    expect(failed.taskFailedEventDetails).toMatchObject({ resourceType: "lambda", resource: "invoke.waitForTaskToken", error: "Rejected" });
  });

  /**
   * A Parallel whose second branch plays the worker: every `beatEvery` virtual seconds a Lambda
   * sends SendTaskHeartbeat for the first branch's token, and after 4 beats it answers.
   */
  const heartbeatRun = (beatEvery: number) => {
    let exec: Execution;
    let token = "";
    const beatLoop = {
      StartAt: "Pause",
      States: {
        Pause: { Type: "Wait", Seconds: beatEvery, Next: "Beat" },
        Beat: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "beat", Payload: {} }, Assign: { beats: "{% $states.result.Payload %}" }, Next: "Enough?" },
        "Enough?": { Type: "Choice", Choices: [{ Condition: "{% $beats < 4 %}", Next: "Pause" }], Default: "Answer" },
        Answer: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "answer", Payload: {} }, End: true },
      },
    };
    const def = machine({
      Both: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Work", States: { Work: { Type: "Task", Resource: LAMBDA_TOKEN, Arguments: { FunctionName: "work", Payload: {} }, HeartbeatSeconds: 10, TimeoutSeconds: 100, End: true } } },
          beatLoop,
        ],
        End: true,
      },
    });
    let beats = 0;
    exec = new Execution(def, {
      onTaskToken: (t) => (token = t),
      lambda: (fn) => {
        if (fn === "beat") {
          exec.sendTaskHeartbeat(token);
          return ++beats;
        }
        if (fn === "answer") exec.sendTaskSuccess(token, '"done"');
        return null;
      },
    });
    return exec.start();
  };

  it("SendTaskHeartbeat restarts the HeartbeatSeconds clock", async () => {
    const r = await heartbeatRun(8);
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as unknown[])[0]).toBe("done");
    expect(r.stats.virtualSeconds).toBe(32);
  });

  it("HeartbeatSeconds: heartbeats that come too late do not save the task", async () => {
    const r = await heartbeatRun(12);
    expect(r.error).toBe("States.HeartbeatTimeout");
    expect(r.stats.virtualSeconds).toBe(10);
  });

  it("tokens are unique opaque strings, one per attempt", async () => {
    const tokens: string[] = [];
    let exec: Execution;
    exec = new Execution(
      approval({ Retry: [{ ErrorEquals: ["Rejected"], MaxAttempts: 2, IntervalSeconds: 1 }] }),
      {
        lambda: () => null,
        onTaskToken: (token) => {
          tokens.push(token);
          if (tokens.length < 3) exec.sendTaskFailure(token, "Rejected");
          else exec.sendTaskSuccess(token, "1");
        },
      },
    );
    const r = await exec.start();
    expect(r.output).toBe(1);
    expect(new Set(tokens).size).toBe(3);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it("an unknown token is refused (InvalidToken / TaskDoesNotExist); a timed-out one with TaskTimedOut", async () => {
    let first = "";
    const exec = new Execution(approval({ TimeoutSeconds: 5 }), { lambda: () => null, onTaskToken: (token) => (first = token) });
    const r = await exec.start();
    expect(r.error).toBe("States.Timeout");
    expect(() => exec.sendTaskSuccess("not-a-token", "{}")).toThrow(TaskTokenError);
    expect(() => exec.sendTaskSuccess("not-a-token", "{}")).toThrow(expect.objectContaining({ code: "InvalidToken" }));
    expect(() => exec.sendTaskSuccess(first, "{}")).toThrow(expect.objectContaining({ code: "TaskTimedOut" }));
    expect(() => exec.sendTaskSuccess(`${first}x`, "{}")).toThrow(expect.objectContaining({ code: "TaskDoesNotExist" }));
  });

  it("an answered token cannot be answered again (TaskDoesNotExist)", async () => {
    let exec: Execution;
    let again: unknown;
    exec = new Execution(approval(), {
      lambda: () => null,
      onTaskToken: (token) => {
        exec.sendTaskSuccess(token, "{}");
        again = thrownBy(() => exec.sendTaskSuccess(token, "{}"));
      },
    });
    await exec.start();
    expect(again).toMatchObject({ code: "TaskDoesNotExist" });
  });

  it("SendTaskSuccess with output that is not JSON is refused with InvalidOutput", async () => {
    let exec: Execution;
    let refused: unknown;
    exec = new Execution(approval(), {
      lambda: () => null,
      onTaskToken: (token) => {
        refused = thrownBy(() => exec.sendTaskSuccess(token, "{not json"));
        exec.sendTaskSuccess(token, "true");
      },
    });
    expect((await exec.start()).output).toBe(true);
    expect(refused).toMatchObject({ code: "InvalidOutput" });
  });

  it("a token never answered and no TimeoutSeconds: the execution times out at its 1-year limit", async () => {
    const exec = new Execution(approval(), { lambda: () => null });
    const r = await exec.start();
    expect(r.status).toBe("TIMED_OUT");
    expect(r.error).toBe("States.Timeout");
    expect(r.stats.virtualSeconds).toBe(365 * 24 * 3600);
    expect(r.history.at(-1)!.type).toBe("ExecutionTimedOut");
  });

  it("handlers keyed by resource serve other .waitForTaskToken integrations", async () => {
    let exec: Execution;
    const def = machine({
      Send: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Arguments: { QueueUrl: "q", MessageBody: { token: "{% $states.context.Task.Token %}" } },
        End: true,
      },
    });
    exec = new Execution(def, {
      handlers: {
        "arn:aws:states:::sqs:sendMessage": (input) => {
          const token = (input as { MessageBody: { token: string } }).MessageBody.token;
          queueMicrotask(() => exec.sendTaskSuccess(token, '{"via":"sqs"}'));
          return { MessageId: "m-1" };
        },
      },
    });
    expect((await exec.start()).output).toEqual({ via: "sqs" });
  });
});
