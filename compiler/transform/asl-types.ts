import type { Catcher, ChoiceRule, Retrier } from "../../asl/index.ts";

/**
 * The ASL states the compiler writes, one type per state (JSONata mode: `Arguments`, `Output`,
 * `Assign`, `Condition`; no JSONPath fields). asl/ describes what the emulator reads, one loose
 * shape for every state; these say what each state the transform makes must carry. Retriers,
 * catchers and choice rules are asl/'s own. Field order does not matter here: emit/asl.ts
 * orders the fields when it writes the definition.
 */
export type { Catcher, ChoiceRule, Retrier };

/** A JSONata expression as a whole field value, `{% ... %}` (jsonata.ts, expression). */
export type Jsonata = string;

interface Base {
  Comment?: string;
  Assign?: Record<string, unknown>;
  Output?: unknown;
}

/** States that go on to another state or end the graph. */
interface Flow extends Base {
  Next?: string;
  End?: boolean;
}

export interface TaskArguments {
  FunctionName: string;
  /** An object for a fragment Task (the event fields, protocol/), a JSONata value for an invoke. */
  Payload: Record<string, unknown> | Jsonata;
}

export interface TaskState extends Flow {
  Type: "Task";
  Resource: string;
  Arguments: TaskArguments;
  /** Whole seconds, or JSONata computing them at run time. */
  TimeoutSeconds?: number | Jsonata;
  HeartbeatSeconds?: number | Jsonata;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

/** The Task that runs a fragment: its payload is always the event object the fragments runtime reads. */
export interface FragmentTaskState extends TaskState {
  Arguments: { FunctionName: string; Payload: Record<string, unknown> };
}

export interface PassState extends Flow {
  Type: "Pass";
}

export interface ChoiceState extends Base {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default: string;
}

export interface WaitState extends Flow {
  Type: "Wait";
  Seconds: number | Jsonata;
}

export interface SucceedState extends Base {
  Type: "Succeed";
}

export interface FailState {
  Type: "Fail";
  Comment?: string;
  Error: Jsonata;
  Cause: Jsonata;
}

/** The graph of a Map iteration or a Parallel branch. */
export interface BranchGraph {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface MapState extends Flow {
  Type: "Map";
  Items: Jsonata;
  ItemSelector: Jsonata;
  ItemProcessor: BranchGraph & { ProcessorConfig: { Mode: "INLINE" } };
  MaxConcurrency?: number;
}

export interface ParallelState extends Flow {
  Type: "Parallel";
  Branches: BranchGraph[];
}

export type AslState = TaskState | PassState | ChoiceState | WaitState | SucceedState | FailState | MapState | ParallelState;
