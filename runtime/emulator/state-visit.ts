import type { StateDefinition } from "../../asl/index.ts";
import { ErrorNames, StatesError } from "./errors.ts";
import { compileTemplate, evaluateTemplate, type Bindings, type Template } from "./expressions.ts";
import { Limits, serializePayload } from "./limits.ts";
import type { Fiber } from "./runtime.ts";

/** Where a state sends the execution: the next state's name, or undefined when the branch ends. */
export interface StateOutcome {
  output: unknown;
  next: string | undefined;
}

/** What `$states` holds besides `input` and `context` (AWS docs, "Transforming data with JSONata"). */
interface StatesExtras {
  result?: unknown;
  errorOutput?: unknown;
}

const templatesByOwner = new WeakMap<object, Map<string, Template>>();

/** The compiled template of `owner[field]` (a state, Choice rule or Catcher), compiled once. */
export function fieldTemplate(owner: object, field: string, label: string): Template | undefined {
  let byField = templatesByOwner.get(owner);
  if (!byField) templatesByOwner.set(owner, (byField = new Map()));
  let template = byField.get(field);
  if (template === undefined) {
    const value = (owner as Record<string, unknown>)[field];
    if (value === undefined) return undefined;
    template = compileTemplate(value, label);
    byField.set(field, template);
  }
  return template;
}

/**
 * One visit of a state: its entered event, its `$states` bindings and the way it leaves. Every
 * Assign and Output of the visit is evaluated against the variables as they were at state entry,
 * and the new values are applied only when the state exits (AWS docs, "Passing data between
 * states with variables": assignments are visible from the next state on).
 */
export class StateVisit {
  readonly enteredTime: string;
  retryCount = 0;

  constructor(
    readonly fiber: Fiber,
    readonly name: string,
    readonly state: StateDefinition,
    readonly input: unknown,
  ) {
    this.enteredTime = new Date(fiber.runtime.clock.now).toISOString();
  }

  get runtime() {
    return this.fiber.runtime;
  }

  enter(): void {
    this.fiber.record(`${this.state.Type}StateEntered`, {
      stateEnteredEventDetails: { name: this.name, input: serializePayload(this.input, "state input"), inputDetails: { truncated: false } },
    });
  }

  /** `$states.context` for this visit; `extra` adds Task.Token or Map.Item. */
  context(extra?: Record<string, unknown>): Record<string, unknown> {
    const { Execution, StateMachine } = this.runtime.contextBase;
    const State = { EnteredTime: this.enteredTime, Name: this.name, RetryCount: this.retryCount };
    return extra ? { Execution, State, StateMachine, ...extra } : { Execution, State, StateMachine };
  }

  bindings(extras: StatesExtras = {}, contextExtra?: Record<string, unknown>): Bindings {
    const bindings: Bindings = Object.create(this.fiber.scope.values);
    bindings.states = { input: this.input, context: this.context(contextExtra), ...extras };
    return bindings;
  }

  /** Evaluates `owner[field]`; undefined when the field is absent. */
  async evaluate(field: string, bindings: Bindings, owner: object = this.state, label = field): Promise<unknown> {
    const template = fieldTemplate(owner, field, label);
    return template === undefined ? undefined : evaluateTemplate(template, bindings);
  }

  /** A number field (TimeoutSeconds, MaxConcurrency, ...): a literal or a JSONata expression. */
  async evaluateCount(field: string, bindings: Bindings, { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {}) {
    const value = await this.evaluate(field, bindings);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || (integer && !Number.isInteger(value)) || value < min || value > max) {
      throw new StatesError(
        ErrorNames.QueryEvaluationError,
        `The value of the field '${field}' must be ${integer ? "an integer" : "a number"} between ${min} and ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /**
   * Leaves the state: evaluates Assign and Output (from `owner`, the state or a Choice rule /
   * Catcher), checks the payload quota, applies the variables and records `<Type>StateExited`.
   */
  async exit(
    bindings: Bindings,
    defaultOutput: unknown,
    next: string | undefined,
    /** For a Choice rule or Catcher: whose Assign blocks and Output apply, and its label in messages. */
    owners: { assign?: object[]; output?: object; label?: string } = {},
  ): Promise<StateOutcome> {
    const assignOwners = owners.assign ?? [this.state];
    const outputOwner = owners.output ?? this.state;
    const labelOf = (owner: object, field: string) => (owner === this.state ? field : `${owners.label}.${field}`);
    const assigned: Record<string, unknown> = {};
    for (const owner of assignOwners) {
      const values = await this.evaluate("Assign", bindings, owner, labelOf(owner, "Assign"));
      if (values !== undefined) Object.assign(assigned, values);
    }
    const evaluatedOutput = await this.evaluate("Output", bindings, outputOwner, labelOf(outputOwner, "Output"));
    const output = evaluatedOutput === undefined ? defaultOutput : evaluatedOutput;
    const outputJson = serializePayload(output, "state output");
    const assignedVariables = serializeAssignments(assigned);
    this.fiber.scope.assign(assigned);
    this.fiber.record(`${this.state.Type}StateExited`, {
      stateExitedEventDetails: {
        name: this.name,
        output: outputJson,
        outputDetails: { truncated: false },
        ...(assignedVariables && { assignedVariables, assignedVariablesDetails: { truncated: false } }),
      },
    });
    return { output, next };
  }

  /** The state's transition after a normal exit: `Next`, or the end of its branch. */
  get next(): string | undefined {
    return this.state.End ? undefined : this.state.Next;
  }
}

/** Variable quotas (AWS docs, "Passing data between states with variables"): 256 KiB per variable and per Assign. */
function serializeAssignments(assigned: Record<string, unknown>): Record<string, string> | undefined {
  const names = Object.keys(assigned);
  if (names.length === 0) return undefined;
  const out: Record<string, string> = {};
  let total = 0;
  for (const name of names) {
    out[name] = serializePayload(assigned[name], `variable '${name}'`);
    total += Buffer.byteLength(out[name]!, "utf8");
  }
  if (total > Limits.payloadBytes) {
    throw new StatesError(ErrorNames.DataLimitExceeded, `The Assign block has a size of ${total} bytes, more than ${Limits.payloadBytes}`);
  }
  return out;
}
