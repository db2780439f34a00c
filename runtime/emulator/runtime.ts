import type { StateGraph } from "../../asl/index.ts";
import type { Cancellation } from "./cancellation.ts";
import type { VirtualClock } from "./clock.ts";
import type { History } from "./history.ts";
import type { MockResponder } from "./mock-config.ts";
import type { SeededRandom } from "./random.ts";
import type { TaskTokens } from "./task-tokens.ts";
import type { RunOptions } from "./types.ts";
import type { VariableScope } from "./variables.ts";

/** Everything one execution shares: options, clock, history, tokens, mocks, counters. */
export interface Runtime {
  readonly options: RunOptions;
  readonly clock: VirtualClock;
  readonly history: History;
  readonly random: SeededRandom;
  readonly tokens: TaskTokens;
  readonly mocks: MockResponder | undefined;
  readonly stats: { stateTransitions: number; lambdaInvocations: number };
  readonly executionName: string;
  /** The `Execution` and `StateMachine` parts of `$states.context`, fixed for the execution. */
  readonly contextBase: { Execution: Record<string, unknown>; StateMachine: Record<string, unknown> };
  /** Runs a state graph (a Parallel branch, a Map's ItemProcessor) in `fiber` and returns its output. */
  runGraph(graph: StateGraph, input: unknown, fiber: Fiber): Promise<unknown>;
}

/**
 * One line of execution: the execution itself, a Parallel branch or a Map iteration. It carries
 * its variable scope, what stops it, and the last event it recorded (the next event's previousEventId).
 */
export class Fiber {
  constructor(
    readonly runtime: Runtime,
    readonly scope: VariableScope,
    readonly cancellation: Cancellation,
    private lastEventId: number,
  ) {}

  record(type: string, details?: Record<string, unknown>): number {
    this.lastEventId = this.runtime.history.add(type, this.lastEventId, details);
    return this.lastEventId;
  }

  /** A branch or iteration that starts after this fiber's last event, with its own scope. */
  fork(scope: VariableScope, cancellation: Cancellation): Fiber {
    return new Fiber(this.runtime, scope, cancellation, this.lastEventId);
  }
}
