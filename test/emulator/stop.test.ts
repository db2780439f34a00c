import { describe, expect, it } from "vitest";
import { Execution } from "../../runtime/emulator/index.ts";
import { eventTypes, LAMBDA_TOKEN, machine } from "./helpers.ts";

const waiting = machine({
  Approve: {
    Type: "Task",
    Resource: LAMBDA_TOKEN,
    Arguments: { FunctionName: "approve", Payload: { token: "{% $states.context.Task.Token %}" } },
    End: true,
  },
});

describe("Execution.stop (StopExecution)", () => {
  it("ends a task waiting for its token as ABORTED, with the error and cause, and nothing after", async () => {
    const exec: Execution = new Execution(waiting, { lambda: () => null, onTaskToken: () => queueMicrotask(() => exec.stop("Operator", "enough")) });
    const r = await exec.start();
    expect(r).toMatchObject({ status: "ABORTED", error: "Operator", cause: "enough" });
    expect(r.history.at(-1)).toMatchObject({ type: "ExecutionAborted", executionAbortedEventDetails: { error: "Operator", cause: "enough" } });
    expect(eventTypes(r).filter((t) => t.startsWith("Execution"))).toEqual(["ExecutionStarted", "ExecutionAborted"]);
  });

  it("stops a task whose integration never returns, and records nothing it does later", async () => {
    let finish: (value: unknown) => void = () => {};
    const exec = new Execution(machine({ Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "slow" }, Next: "After" }, After: { Type: "Pass", End: true } }), {
      lambda: () => new Promise((resolve) => (finish = resolve)),
    });
    const result = exec.start();
    await new Promise((r) => setTimeout(r, 10));
    exec.stop();
    const r = await result;
    expect(r.status).toBe("ABORTED");
    expect(r.error).toBeUndefined();
    const length = r.history.length;
    finish({ late: true });
    await new Promise((r) => setTimeout(r, 10));
    expect(r.history).toHaveLength(length);
    expect(eventTypes(r)).not.toContain("PassStateEntered");
  });

  it("does nothing once the execution has ended", async () => {
    const exec = new Execution(machine({ Done: { Type: "Pass", End: true } }));
    const r = await exec.start();
    exec.stop("Late");
    expect(r.status).toBe("SUCCEEDED");
    expect((await exec.result).status).toBe("SUCCEEDED");
  });
});
