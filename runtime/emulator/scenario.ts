import { readFileSync } from "node:fs";

/**
 * A scenario drives `run`, `verify` and the tests (architecture.md, section 4): the input event
 * and the answers to callback operations, by operation name, in order of occurrence.
 */
export interface Scenario {
  event?: unknown;
  callbacks?: Record<string, CallbackAnswer[]>;
  /**
   * Functions that `context.invoke` calls, by function name or ARN: `"<module path>#<export>"`,
   * the path relative to the handler file. The export is a plain `async (event) => result`.
   */
  functions?: Record<string, string>;
  /**
   * The handler's environment variables for this run, over those of the process: what
   * `process.env.PAYMENT_FN` holds when an invoke names its function that way.
   */
  env?: Record<string, string>;
  /**
   * Which durable handler of the file the scenario is for, when the file exports several: the
   * same as `--handler` (which wins only if it names the same export; see cli/pick-handler.ts).
   */
  handler?: string;
}

/**
 * `at: "await"`: the answer comes once the handler waits for the callback (its invocation has
 * ended, under the SDK), not as soon as the callback exists; it matters for a callback whose id
 * goes through the callback relay, which can be answered before its await.
 */
export type CallbackAnswer =
  | { success: string; at?: "await" }
  | { failure: { errorType: string; errorMessage: string }; at?: "await" }
  | { timeout: true };

/** The `--json` report of `run` (architecture.md, section 4). */
export interface RunReport {
  status: "SUCCEEDED" | "FAILED";
  result?: unknown;
  error?: { errorType: string; errorMessage: string };
  stats: { stateTransitions: number; lambdaInvocations: number; historyEvents: number; virtualSeconds: number };
}

export class ScenarioError extends Error {}

/** Checks the shape of a parsed scenario and returns it typed; throws ScenarioError naming the bad field. */
export function parseScenario(value: unknown, origin = "scenario"): Scenario {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ScenarioError(`${origin}: must be a JSON object with "event" and optional "callbacks"`);
  }
  const { event, callbacks, functions, env, handler, ...rest } = value as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) throw new ScenarioError(`${origin}: unknown field "${unknownKeys[0]}"`);
  if (functions !== undefined) {
    const ok = typeof functions === "object" && functions !== null && Object.values(functions).every((v) => typeof v === "string" && v.includes("#"));
    if (!ok) throw new ScenarioError(`${origin}: "functions" must map function names to "<module>#<export>"`);
  }
  if (env !== undefined) {
    const ok = typeof env === "object" && env !== null && !Array.isArray(env) && Object.values(env).every((v) => typeof v === "string");
    if (!ok) throw new ScenarioError(`${origin}: "env" must map environment variable names to strings`);
  }
  if (handler !== undefined && (typeof handler !== "string" || handler === "")) {
    throw new ScenarioError(`${origin}: "handler" must be the name of an exported durable handler`);
  }
  const extra = {
    ...(handler === undefined ? {} : { handler: handler as string }),
    ...(functions === undefined ? {} : { functions: functions as Record<string, string> }),
    ...(env === undefined ? {} : { env: env as Record<string, string> }),
  };
  if (callbacks === undefined) return { event, ...extra };
  if (typeof callbacks !== "object" || callbacks === null || Array.isArray(callbacks)) {
    throw new ScenarioError(`${origin}: "callbacks" must map operation names to arrays of answers`);
  }
  for (const [name, answers] of Object.entries(callbacks)) {
    if (!Array.isArray(answers)) throw new ScenarioError(`${origin}: callbacks.${name} must be an array`);
    answers.forEach((answer, i) => checkAnswer(answer, `${origin}: callbacks.${name}[${i}]`));
  }
  return { event, callbacks: callbacks as Scenario["callbacks"], ...extra };
}

function checkAnswer(answer: unknown, where: string): void {
  const a = answer as Record<string, unknown> | null;
  if (typeof a !== "object" || a === null) throw new ScenarioError(`${where}: must be an object`);
  if (a.at !== undefined && (a.at !== "await" || a.timeout !== undefined)) throw new ScenarioError(`${where}: "at" may only be "await", on a success or failure answer`);
  if (typeof a.success === "string") return;
  if (a.timeout === true) return;
  const f = a.failure as Record<string, unknown> | undefined;
  if (f && typeof f === "object" && typeof f.errorType === "string" && typeof f.errorMessage === "string") return;
  throw new ScenarioError(
    `${where}: expected {"success": "<string>"}, {"failure": {"errorType", "errorMessage"}} or {"timeout": true}`,
  );
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ScenarioError(`cannot read scenario file ${path}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(value, path);
}

/** Hands out the answers of a scenario in order of occurrence, per callback name. */
export class CallbackAnswers {
  private readonly used = new Map<string, number>();
  constructor(private readonly callbacks: Scenario["callbacks"] = {}) {}

  /** The next answer for `name`, or a timeout when the scenario has none left (nobody answers). */
  next(name: string | null | undefined): CallbackAnswer {
    const key = name ?? "";
    const index = this.used.get(key) ?? 0;
    this.used.set(key, index + 1);
    return this.callbacks?.[key]?.[index] ?? { timeout: true };
  }

  /** Notes that an operation of `name` ran without asking for an answer (yet): a relayed callback never awaited. */
  seen(name: string | null | undefined): void {
    const key = name ?? "";
    if (!this.used.has(key)) this.used.set(key, 0);
  }

  /** The names the scenario answers that no operation asked for (so far): usually a typo. */
  unused(): string[] {
    return Object.keys(this.callbacks ?? {}).filter((name) => !this.used.has(name));
  }
}

/** The warning, after a run, for a callback name of the scenario that the run never used. */
export function unusedCallbackWarning(name: string): string {
  return `durable2sfn: warning: scenario answers callback "${name}", which no operation of this run used`;
}
