/**
 * Workflow variables (AWS docs, "Passing data between states with variables").
 *
 * The top-level States form the outer scope; each Parallel branch and each Map iteration gets an
 * inner scope that can read the outer variables. The definition checks (asl/scopes.ts)
 * already refuse an inner scope that assigns or shadows an outer name, so at run time a scope only
 * ever writes its own names. Values live in an object whose prototype is the parent's values, so
 * JSONata's bindings see every visible variable without copying.
 */
export class VariableScope {
  readonly values: Record<string, unknown>;

  constructor(parentValues: object | null) {
    this.values = Object.create(parentValues);
  }

  /** An inner scope for a Parallel branch or a Map iteration. */
  child(): VariableScope {
    return new VariableScope(this.values);
  }

  /** Applies the results of one Assign block; all were evaluated against the values at state entry. */
  assign(assignments: Record<string, unknown>): void {
    for (const name of Object.keys(assignments)) this.values[name] = assignments[name];
  }
}
