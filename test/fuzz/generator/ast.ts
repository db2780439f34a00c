/**
 * The abstract syntax the fuzzer generates (docs/verify.md, "The program generator").
 *
 * Nodes are context-free: a reference to a local is a `pick` number, resolved when the program is
 * printed against the locals in scope there (modulo their count; a fallback when there are none).
 * That keeps every arbitrary independent of what was generated before it, so fast-check can
 * shrink any part of a program alone and the result is still a valid program.
 */

// ---- expressions ---------------------------------------------------------------------------------

export type NumExpr =
  | { k: "lit"; v: number }
  /** A number local in scope; `event.n` when there is none. */
  | { k: "var"; pick: number }
  | { k: "event"; field: "n" | "failUntil" }
  /** `trail.length`, `event.items.length`, `state.tags.length`, or an array local's length. */
  | { k: "len"; of: "trail" | "items" | "tags" | "arr"; pick: number }
  | { k: "count" }
  /** `<object local>.a`; `state.count` when there is none. */
  | { k: "objA"; pick: number }
  /** `*` only by a small literal, so values stay finite however often a loop multiplies. */
  | { k: "bin"; op: "+" | "-"; l: NumExpr; r: NumExpr }
  | { k: "mul"; l: NumExpr; by: 2 | 3 }
  | { k: "mod"; l: NumExpr; m: 2 | 3 | 4 | 5 }
  | { k: "cond"; c: BoolExpr; a: NumExpr; b: NumExpr }
  /** `stepCtx.attempt` inside a step body; `1` elsewhere. */
  | { k: "attempt" };

export type BoolExpr =
  | { k: "cmp"; op: "<" | "<=" | ">" | ">=" | "===" | "!=="; l: NumExpr; r: NumExpr }
  | { k: "flag" }
  | { k: "streq"; l: StrExpr; v: string; neg: boolean }
  | { k: "not"; e: BoolExpr }
  | { k: "and" | "or"; l: BoolExpr; r: BoolExpr }
  | { k: "includes"; v: string };

export type StrExpr =
  | { k: "lit"; v: string }
  /** A string local in scope; `event.mode` when there is none. */
  | { k: "var"; pick: number }
  | { k: "mode" }
  | { k: "last" }
  /** `<object local>.b`; `state.last` when there is none. */
  | { k: "objB"; pick: number }
  | { k: "tmpl"; head: string; spans: Array<{ e: { num: NumExpr } | { str: StrExpr }; tail: string }> }
  | { k: "concat"; l: StrExpr; r: StrExpr };

// ---- durable operations --------------------------------------------------------------------------

export type Retry =
  | { k: "default" }
  | { k: "noRetry" }
  | { k: "custom"; maxAttempts: number; delay: number; backoffRate: number | null; retryable: boolean };

/** When a step body throws. */
export type Fault =
  | { k: "attemptAtMost"; n: number }
  | { k: "attemptAtMostEvent" }
  | { k: "failAt" }
  | { k: "cond"; c: BoolExpr }
  | { k: "condFirstAttempt"; c: BoolExpr };

export type ErrorClass = "Error" | "TypeError" | "RangeError" | "OrderError" | "LimitError";

export interface StepNode {
  k: "step";
  /** A literal name, a name computed from a number, or no name. */
  name: "literal" | "computed" | "none";
  namePick: NumExpr;
  fault: Fault | null;
  transient: boolean;
  errorClass: ErrorClass;
  result: NumExpr;
  second: StrExpr;
  retry: Retry;
  /** What happens to the result. */
  bind: "discard" | "const" | "let" | "assign" | "add" | "field" | "destructObject" | "destructArray";
  pick: number;
}

export type Duration = { k: "literal"; unit: "seconds" | "minutes"; n: number } | { k: "mod"; e: NumExpr } | { k: "choose"; c: BoolExpr; a: number; b: number };

export interface WaitNode {
  k: "wait";
  named: boolean;
  duration: Duration;
}

export type CallbackAnswer = { success: string } | { failure: { errorType: string; errorMessage: string } } | { timeout: true };

export interface CallbackNode {
  k: "callback";
  /** Answers for this call site's occurrences, in order; past the end, the callback times out. */
  answers: CallbackAnswer[];
  timeout: { unit: "seconds" | "minutes" | "hours"; n: number };
  submitterFault: boolean;
  submitterNoRetry: boolean;
  bind: "discard" | "const" | "push";
}

/**
 * `map` over the input's items or a literal list, or `parallel` with 1 to 3 branches (named or
 * not). Each item or branch runs a step that may fail on its item or index (tolerated: the batch
 * waits for every item, so the outcome does not depend on timing), and may wait. The BatchResult is
 * then read: counts, results, errors, `throwIfError()`, or `throwIfError()` and its results destructured.
 */
export interface BatchNode {
  k: "batch";
  kind: "map" | "parallel";
  over: "items" | "literal";
  literal: number[];
  branches: number;
  named: boolean;
  failWhen: { k: "none" } | { k: "itemAbove"; n: number } | { k: "index"; i: number };
  failRetried: boolean;
  wait: boolean;
  namer: boolean;
  maxConcurrency: number | null;
  extra: NumExpr;
  use: "counts" | "results" | "errors" | "throw" | "destructure";
}

/** createCallback and the code before the await of its promise (shapes.ts). */
export interface CreateCallbackNode {
  k: "createCallback";
  answers: CallbackAnswer[];
  timeoutSeconds: number;
  between: "none" | "log" | "code" | "codeChanges" | "handStep" | "relayed" | "wait" | "step";
  bind: "discard" | "const" | "push";
}

/**
 * Several createCallback promises outstanding together, combined by `Promise.all` / `allSettled`
 * or `context.promise.*`, with a step beside them (shapes.ts).
 */
export interface CombineCallbacksNode {
  k: "combineCallbacks";
  combinator: "all" | "allSettled";
  native: boolean;
  /** Per callback: its answers, and whether a step reads its id before the combinator (the relay). */
  callbacks: { answers: CallbackAnswer[]; readId: boolean }[];
  withStep: boolean;
}

/** `context.promise.all` / `allSettled` over a step, a wait and a step that may fail (shapes.ts). */
export interface CombineNode {
  k: "combine";
  combinator: "all" | "allSettled";
  /** The operations are started into consts first and combined in a later statement. */
  startedFirst: boolean;
  waitSeconds: number;
  failing: boolean;
  a: NumExpr;
  b: NumExpr;
}

// ---- statements ----------------------------------------------------------------------------------

export type Stmt =
  // locals (locals.ts)
  | { k: "declNum"; init: NumExpr; mutable: boolean }
  | { k: "declStr"; init: StrExpr; mutable: boolean }
  | { k: "declObj"; a: NumExpr; b: StrExpr }
  | { k: "declArr"; items: NumExpr[] }
  | { k: "destructure"; from: "object" | "tuple"; pick: number; a: NumExpr; b: NumExpr }
  | { k: "assignNum"; pick: number; op: "=" | "+=" | "-="; e: NumExpr }
  | { k: "assignStr"; pick: number; e: StrExpr }
  | { k: "push"; e: StrExpr }
  | { k: "mutate"; what: "count" | "last" | "tag" | "objA" | "objB" | "arrPush"; pick: number; num: NumExpr; str: StrExpr }
  // durable operations (operations.ts)
  | StepNode
  | WaitNode
  | CallbackNode
  | BatchNode
  // control flow (control.ts)
  | { k: "if"; c: BoolExpr; then: Stmt[]; else: Stmt[] | null }
  | { k: "switch"; on: { num: NumExpr; m: 2 | 3 | 4 } | { mode: true }; cases: SwitchCase[]; dflt: Stmt[] | null }
  | { k: "for"; bound: LoopBound; label: boolean; body: Stmt[] }
  | { k: "forOf"; over: "items" | "literal" | "copy"; literal: number[]; pick: number; label: boolean; body: Stmt[] }
  | { k: "while"; bound: LoopBound; label: boolean; body: Stmt[] }
  | { k: "doWhile"; bound: LoopBound; label: boolean; body: Stmt[] }
  | { k: "jump"; jump: "break" | "continue"; outer: boolean; c: BoolExpr | null }
  | { k: "block"; body: Stmt[] }
  | { k: "return"; c: BoolExpr | null; shape: "locals" | "num" | "str"; num: NumExpr; str: StrExpr }
  // errors (errors.ts)
  | { k: "try"; body: Stmt[]; handler: Stmt[] | null; fin: Stmt[] | null }
  | { k: "catchRead"; form: "name" | "message" | "both" | "instanceofStep" | "instanceofTimeout" | "instanceofClass" | "declare"; cls: ErrorClass }
  | { k: "rethrow"; c: BoolExpr | null }
  | { k: "throw"; cls: ErrorClass; msg: StrExpr; c: BoolExpr | null }
  // values crossing durable boundaries, issue 12 (values.ts); only with their features on
  | { k: "declValue"; form: ValueForm; num: NumExpr; str: StrExpr; keys: number[] }
  | { k: "useValue"; pick: number; write: boolean; num: NumExpr; str: StrExpr }
  | { k: "errorFlow"; thrown: "class" | "string" | "object" | "error"; c: BoolExpr; num: NumExpr; str: StrExpr; body: Stmt[]; handler: Stmt[]; fin: StepNode | WaitNode }
  | { k: "throwValue"; value: "string" | "object"; str: StrExpr; c: BoolExpr | null }
  | MutatingStep
  // inputs and names, issue 13 (inputs.ts); only with their features on
  | { k: "declNamed"; name: number; type: "num" | "str"; num: NumExpr; str: StrExpr; mutable: boolean }
  | { k: "inputIf"; cond: InputCondition; then: Stmt[]; else: Stmt[] | null }
  | { k: "inputUse"; form: "bonusSum" | "notify" | "stepName" | "templateAll" | "regionDefault"; num: NumExpr }
  | { k: "helperCall"; where: "top" | "child" | "nested" | "map"; num: NumExpr; over: "items" | "literal" }
  // a strategy / tool table of functions taking the context (inputs.ts); only with the tool-tables feature on
  | { k: "toolCall"; key: "add" | "twice" | "tally" | "fromInput"; num: NumExpr }
  | { k: "fracWait"; form: "half" | "quarter"; named: boolean; e: NumExpr }
  // array methods, Math and division lowered to JSONata, issue 15 (array-methods.ts); only with the feature on
  | CreateCallbackNode
  | CombineNode
  | CombineCallbacksNode
  | { k: "arrayUse"; form: "sum" | "count" | "findIndex" | "join" | "some" | "math" | "every" | "find"; e: number };

/** A value of a kind JSON does not carry as is, declared by `declValue` and read or changed by `useValue`. */
export type ValueForm = "instance" | "instanceList" | "methods" | "nested" | "closure" | "alias" | "getter" | "special" | "undefined" | "keys";

/** A step body that changes a handler variable: the compiler must refuse it (D2S2002). */
export interface MutatingStep {
  k: "mutatingStep";
  form: "push" | "increment" | "compound" | "field" | "splice" | "assign" | "arrayPush";
  pick: number;
}

/** Conditions on the input fields that ill-typed scenarios may leave out, null or of another type. */
export type InputCondition = "express" | "regionNe" | "notFlag" | "flagStrict" | "bonusPositive" | "customer" | "customerNullish";

export interface SwitchCase {
  value: number | string;
  body: Stmt[];
  /** Ends with `break`; otherwise falls through to the next case. */
  brk: boolean;
}

export type LoopBound = { k: "literal"; n: number } | { k: "event" };

/** The handler's input; the same interface in every program. */
export interface FuzzEvent {
  n: number;
  flag: boolean;
  mode: string;
  items: number[];
  failUntil: number;
  failAt: string;
}

/**
 * What the scenario's event may hold with the `inputs` features: the declared fields plus
 * `express`, `region`, `bonus`, `customer` (declared in `Input` when a program reads them), any of
 * them missing, null or of another type than declared.
 */
export type ScenarioEvent = FuzzEvent | Record<string, unknown>;

export interface ProgramNode {
  body: Stmt[];
  event: ScenarioEvent;
  /** With the `mutating-step` feature: a step body changing a handler variable, inserted at `at`. */
  mutation?: { at: number; step: MutatingStep } | null;
}

/**
 * A refusal a program asks for: the diagnostic code, and the operation it is raised for (its name
 * in the program). TypeScript-unreachable code is dropped by the compiler, so a refusal asked for
 * there is not due: the runner then verifies the program like any other (runner.ts).
 */
export interface ExpectedRefusal {
  code: string;
  site: string;
}
