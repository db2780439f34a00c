import type jsonata from "jsonata";
import { Limits } from "./limits.ts";

/**
 * Bounds one JSONata evaluation in time, function nesting and value size, so that a runaway
 * expression fails its execution (States.QueryEvaluationError) instead of wedging the process.
 *
 * jsonata 2.0.6 awaits `environment.lookup(Symbol.for('jsonata.__evaluate_entry'))` before, and
 * `__evaluate_exit` after, every evaluation step (its own test suite bounds expressions this way).
 * Its async evaluation never yields to the event loop by itself: every await resumes from the
 * microtask queue, so a long evaluation starves timers, I/O and signal handlers. The entry hook
 * therefore hands the event loop a turn every few thousand steps.
 *
 * The hooks are installed once on the shared compiled expression; each evaluation finds its own
 * box through a binding whose name no JSONata expression can spell (it has a space).
 */
const BOX_BINDING = "evaluation box";
const ENTRY = Symbol.for("jsonata.__evaluate_entry");
const EXIT = Symbol.for("jsonata.__evaluate_exit");

/** Thrown from the hooks; jsonata passes it through, and the caller reports it as the expression's failure. */
export class ExpressionLimitError extends Error {}

interface AstNode {
  type?: string;
  body?: unknown;
  [key: string]: unknown;
}

type Environment = { lookup(name: string): unknown };

/** Installs the hooks on a freshly compiled expression. */
export function installBox(expression: jsonata.Expression): void {
  const lambdaBodies = lambdaBodiesOf(expression.ast());
  const boxOf = (environment: Environment) => environment.lookup(BOX_BINDING) as EvaluationBox | undefined;
  // jsonata's `assign` binds any key in the expression's environment; its typings only admit strings.
  const assign = expression.assign as unknown as (name: symbol, value: unknown) => void;
  assign(ENTRY, (expr: object, _input: unknown, environment: Environment) => boxOf(environment)?.enter(lambdaBodies.has(expr)));
  assign(EXIT, (expr: object, _input: unknown, environment: Environment, result: unknown) => boxOf(environment)?.exit(lambdaBodies.has(expr), result));
}

/** The bindings for one evaluation: the caller's, plus a fresh box. */
export function boxedBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  const scoped = Object.create(bindings) as Record<string, unknown>;
  scoped[BOX_BINDING] = new EvaluationBox();
  return scoped;
}

class EvaluationBox {
  private steps = 0;
  private depth = 0;
  /** Time this evaluation has run, not counting the turns it gave to the event loop. */
  private spentMs = 0;
  private resumedAt = Date.now();

  enter(isFunctionBody: boolean): Promise<void> | void {
    if (isFunctionBody && ++this.depth > Limits.expressionFunctionDepth) {
      throw new ExpressionLimitError(
        `user-defined functions nested more than ${Limits.expressionFunctionDepth} deep (a recursion that never ends? JSONata runs tail calls without nesting)`,
      );
    }
    // The clock is read only when the event loop gets its turn: often enough, and cheaper per step.
    if (++this.steps % Limits.expressionStepsPerTurn === 0) return this.yieldTurn();
  }

  exit(isFunctionBody: boolean, result: unknown): void {
    if (isFunctionBody) this.depth--;
    if (typeof result === "string" && result.length > Limits.expressionStringLength) {
      throw new ExpressionLimitError(`built a string of ${result.length} characters, more than the ${Limits.expressionStringLength} an expression may build`);
    }
    if (Array.isArray(result) && result.length > Limits.expressionArrayItems) {
      throw new ExpressionLimitError(`built an array of ${result.length} items, more than the ${Limits.expressionArrayItems} an expression may build`);
    }
  }

  private async yieldTurn(): Promise<void> {
    this.spentMs += Date.now() - this.resumedAt;
    if (this.spentMs > Limits.expressionMilliseconds) {
      throw new ExpressionLimitError(`evaluation ran longer than ${Limits.expressionMilliseconds} ms (a loop that never ends?)`);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.resumedAt = Date.now();
  }
}

/** The body nodes of every `function(...) { ... }` in the expression: entering one is a call. */
function lambdaBodiesOf(ast: unknown): WeakSet<object> {
  const bodies = new WeakSet<object>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as AstNode;
    if (n.type === "lambda" && n.body && typeof n.body === "object") bodies.add(n.body);
    for (const value of Object.values(n)) visit(value);
  };
  visit(ast);
  return bodies;
}
