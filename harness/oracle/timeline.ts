import { WORLD_START } from "../handler-world.ts";

interface Update {
  Id?: string;
  Type?: string;
  Action?: string;
  WaitOptions?: { WaitSeconds?: number };
  StepOptions?: { NextAttemptDelaySeconds?: number };
  CallbackOptions?: { TimeoutSeconds?: number };
}

interface OperationState {
  Id?: string;
  Status?: string;
}

type Due = { at: number; kind: "wait" | "retry" | "timeout" };

/**
 * Virtual time under the SDK's test runner, as the emulator keeps it: it starts at the emulator's
 * start and moves only when a wait ends, a retry's delay passes or a callback times out, to the
 * time that operation was due. The runner's own clock cannot serve (its fake timers follow real
 * time, and its checkpoint server stamps with the real one).
 *
 * The delays are read from the handler's checkpoint requests (exact seconds, as the SDK sends
 * them) at the virtual time of the invocation that makes them; the operations the runner hands
 * the handler at the start of an invocation, and those in the server's answers (the SDK waits out
 * short delays inside one invocation), say which of them have passed.
 */
export class Timeline {
  private elapsed = 0;
  private readonly dues = new Map<string, Due>();

  now(): number {
    return WORLD_START + this.elapsed;
  }

  onCheckpoint(updates: Update[] | undefined): void {
    for (const u of updates ?? []) {
      if (!u.Id) continue;
      const after = (seconds: number | undefined, kind: Due["kind"]) => this.dues.set(u.Id!, { at: this.elapsed + Math.max(0, seconds ?? 0) * 1000, kind });
      if (u.Type === "WAIT" && u.Action === "START") after(u.WaitOptions?.WaitSeconds, "wait");
      else if (u.Type === "STEP" && u.Action === "RETRY") after(u.StepOptions?.NextAttemptDelaySeconds, "retry");
      else if (u.Type === "CALLBACK" && u.Action === "START" && u.CallbackOptions?.TimeoutSeconds !== undefined) after(u.CallbackOptions.TimeoutSeconds, "timeout");
    }
  }

  /** The operations' states, as an invocation's input or a server's answer gives them. */
  onOperations(operations: OperationState[]): void {
    for (const op of operations) {
      const due = op.Id ? this.dues.get(op.Id) : undefined;
      if (!due) continue;
      const passed = due.kind === "wait" ? op.Status === "SUCCEEDED" : due.kind === "retry" ? op.Status !== "PENDING" : op.Status === "TIMED_OUT";
      const settled = due.kind === "timeout" ? op.Status !== "STARTED" : passed;
      if (passed) this.elapsed = Math.max(this.elapsed, due.at);
      if (settled) this.dues.delete(op.Id!);
    }
  }
}

/** Every `Operations` list in an invocation input or a server answer (a few levels down, wherever the API puts it). */
export function operationsIn(value: unknown, depth = 0): OperationState[] {
  if (!value || typeof value !== "object" || depth > 4) return [];
  const out: OperationState[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === "Operations" && Array.isArray(inner)) out.push(...(inner as OperationState[]));
    else if (inner && typeof inner === "object" && !Array.isArray(inner)) out.push(...operationsIn(inner, depth + 1));
  }
  return out;
}
