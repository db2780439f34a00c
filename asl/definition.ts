/**
 * The parts of an ASL definition the compiler writes and the emulator reads. Definitions are
 * validated before they run (validate.ts), so the emulator trusts these shapes.
 */

export interface StateGraph {
  StartAt: string;
  States: Record<string, StateDefinition>;
  QueryLanguage?: string;
  TimeoutSeconds?: number;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

export interface ChoiceRule {
  Condition: string;
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

export interface StateDefinition {
  Type: "Pass" | "Task" | "Choice" | "Wait" | "Parallel" | "Map" | "Succeed" | "Fail";
  Next?: string;
  End?: boolean;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Arguments?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Task
  Resource?: string;
  TimeoutSeconds?: number | string;
  HeartbeatSeconds?: number | string;
  // Choice
  Choices?: ChoiceRule[];
  Default?: string;
  // Wait
  Seconds?: number | string;
  Timestamp?: string;
  // Parallel
  Branches?: StateGraph[];
  // Map
  Items?: unknown;
  ItemSelector?: unknown;
  ItemProcessor?: StateGraph & { ProcessorConfig?: { Mode?: string } };
  MaxConcurrency?: number | string;
  ToleratedFailureCount?: number | string;
  ToleratedFailurePercentage?: number | string;
  // Fail
  Error?: string;
  Cause?: string;
}
