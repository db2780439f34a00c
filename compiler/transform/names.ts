import { hasDeadlines } from "./callback-timeouts.ts";
import type { Node } from "ts-morph";
import type { Block, DurableOp } from "../lower/cfg.ts";

/**
 * State names: what a person reads in the visual editor. Step Functions allows 80 characters;
 * `[0-9A-Za-z_-]` keeps them safe for CloudWatch Logs. Clashes get `-2`, `-3`, ... in order of
 * creation, so the same source always gives the same names.
 */
export class StateNamer {
  private readonly used = new Set<string>();

  name(base: string): string {
    const clean = base.replace(/[^0-9A-Za-z_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "State";
    let name = clean;
    for (let n = 2; this.used.has(name); n++) {
      const suffix = `-${n}`;
      name = clean.slice(0, 80 - suffix.length) + suffix;
    }
    this.used.add(name);
    return name;
  }

  private readonly parameters = new Map<string, string>();

  /**
   * The template parameter (and definition substitution) that holds environment variable
   * `variable`: `Env` and its letters and digits (CloudFormation allows no `_` in a parameter
   * name), numbered when two variables would share one. The same variable gets the same one.
   */
  parameter(variable: string): string {
    const known = this.parameters.get(variable);
    if (known) return known;
    const base = `Env${variable.replace(/[^A-Za-z0-9]/g, "")}`;
    const taken = new Set(this.parameters.values());
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    this.parameters.set(variable, name);
    return name;
  }
}

/**
 * A file name as it appears in a Comment: Comments are never evaluated, but CloudFormation's
 * DefinitionSubstitutions (and `deploy`) replace `${Name}` anywhere in the definition, so a file
 * called `${FragmentsFunctionArn}.ts` must not spell a placeholder there.
 */
export function commentText(text: string): string {
  return text.replace(/\$\{/g, "$ {");
}

/** The 1-based line a node starts on: state names and Comments carry it. */
export function lineOf(node: Node): number {
  return node.getSourceFile().getLineAndColumnAtPos(node.getStart()).line;
}

/** The base name of an operation's first state: its literal name, else its kind and line. */
export function operationName(op: DurableOp): string {
  // promise.all's own name goes to the marker of its child context.
  if (op.kind === "promise") return op.label ?? `${op.context.name ?? `Promise-${op.combinator}-line-${lineOf(op.call)}`}-operations`;
  if (op.kind === "createCallback" && (op.stage === "create" || hasDeadlines(op))) {
    // A callback awaited later: its marker, and the Choice before its Task (the Task keeps the
    // callback's own name, which scenarios and SendTask* users know it by).
    return `${typeof op.name === "string" ? op.name : `Callback-line-${lineOf(op.call)}`}-${op.stage === "create" ? "created" : "deadline"}`;
  }
  if (typeof op.name === "string") return op.name;
  const what = { step: "Step", wait: "Wait", waitForCallback: "Callback", waitForCondition: "Condition", invoke: "Invoke", map: "Map", parallel: "Parallel", createCallback: "Callback", promise: "Promise" }[op.kind];
  return `${what}-line-${lineOf(op.call)}`;
}

export function childContextName(context: { name: string | null; call: Node }): string {
  return context.name ?? `Child-context-line-${lineOf(context.call)}`;
}

/** The base name of the fragment Task that runs a whole block where its JSONata's guard fails: for what it computes for the state after it. */
export function fallbackBase(t: Block["term"]): string {
  return t.kind === "return" ? "Compute-result" : t.kind === "branch" || t.kind === "switch" ? "Evaluate" : "Code";
}
