import fc from "fast-check";
import type { Scenario } from "../../../runtime/emulator/scenario.ts";
import type { ExpectedRefusal, FuzzEvent, ProgramNode, Stmt } from "./ast.ts";
import { controlStatement, jump, returnStatement } from "./control.ts";
import { CLASS_SOURCE, catchStatement, throwStatement, tryStatement } from "./errors.ts";
import { MODES } from "./expressions.ts";
import { localStatement } from "./locals.ts";
import { arrayUse } from "./array-methods.ts";
import { batch } from "./batches.ts";
import { callback, step, wait } from "./operations.ts";
import { combine, combineCallbacks, createCallback } from "./shapes.ts";
import { Printer } from "./printer.ts";
import { resolveFeatures, type Feature } from "./features.ts";
import { declValue, errorFlow, FORM_FEATURE, mutatingStep, throwValue, useValue, VALUE_CLASS_SOURCE } from "./values.ts";
import { declNamed, EXTENDED_INPUT, illTypedEvent as illTyped, fracWait, helperCall, HELPER_SOURCE, toolCall, inputEvent, inputIf, inputUse } from "./inputs.ts";
import type { ValueForm } from "./ast.ts";

/**
 * Whole programs: a handler body of statements (nested up to `maxDepth` levels, loops at most two
 * deep), plus the input event. `printProgram` gives the TypeScript source, the scenario (event and
 * the callback answers of every waitForCallback call site) and the grammar features it used.
 */

export interface GeneratorOptions {
  /** Nesting depth of compound statements (default 3). */
  maxDepth?: number;
  /** Statements in the handler body (default 8). */
  maxStatements?: number;
  /** Leave these statement kinds out (e.g. to keep fuzzing around a known divergence). */
  exclude?: Array<Stmt["k"]>;
  /** Optional features (features.ts) or groups of them (`values`, `inputs`, `all`); none by default. */
  features?: string[];
}

interface Ctx {
  depth: number;
  loops: number;
  inLoop: boolean;
  inCase: boolean;
  inCatch: boolean;
}

const eventArb: fc.Arbitrary<FuzzEvent> = fc.record({
  n: fc.integer({ min: 0, max: 3 }),
  flag: fc.boolean(),
  mode: fc.constantFrom(...MODES, "d"),
  items: fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 4 }),
  failUntil: fc.integer({ min: 0, max: 3 }),
  failAt: fc.constantFrom("none", "s0", "s1", "s2", "s3", "s4", "cb0", "cb1"),
});

export function programArbitrary(options: GeneratorOptions = {}): fc.Arbitrary<ProgramNode> {
  const maxDepth = options.maxDepth ?? 3;
  const excluded = new Set(options.exclude ?? []);
  const keep = (s: Stmt) => !excluded.has(s.k);
  const cache = new Map<string, fc.Arbitrary<Stmt[]>>();
  const on = resolveFeatures(options.features ?? []);
  const has = (f: Feature) => on.has(f);
  const forms = (Object.keys(FORM_FEATURE) as ValueForm[]).filter((f) => has(FORM_FEATURE[f]));
  const thrown = [...(has("error-class") ? (["class"] as const) : []), ...(has("throw-value") ? (["string", "object", "error"] as const) : [])];
  const finallyOperation = fc.oneof(step, wait);

  const statement = (ctx: Ctx): fc.Arbitrary<Stmt> => {
    const choices: Array<{ arbitrary: fc.Arbitrary<Stmt>; weight: number }> = [
      { arbitrary: localStatement, weight: 5 },
      { arbitrary: step, weight: 6 },
      { arbitrary: wait, weight: 2 },
      { arbitrary: callback, weight: 1 },
      { arbitrary: batch, weight: 1 },
      { arbitrary: throwStatement, weight: 1 },
      { arbitrary: returnStatement, weight: 1 },
    ];
    // Optional features: added only when on, so the default grammar draws exactly as before.
    if (forms.length > 0) choices.push({ arbitrary: declValue(forms), weight: 3 }, { arbitrary: useValue, weight: 3 });
    if (has("throw-value")) choices.push({ arbitrary: throwValue, weight: 1 });
    if (has("adversarial-names")) choices.push({ arbitrary: declNamed, weight: 3 });
    if (has("input-conditions")) choices.push({ arbitrary: inputUse, weight: 2 });
    if (has("context-helpers")) choices.push({ arbitrary: helperCall, weight: 2 });
    if (has("fractional-wait")) choices.push({ arbitrary: fracWait, weight: 1 });
    if (has("array-methods")) choices.push({ arbitrary: arrayUse, weight: 2 });
    if (has("create-callback")) choices.push({ arbitrary: createCallback, weight: 2 });
    if (has("promise-combinators")) choices.push({ arbitrary: combine, weight: 2 });
    if (has("combined-callbacks")) choices.push({ arbitrary: combineCallbacks, weight: 2 });
    if (has("tool-tables")) choices.push({ arbitrary: toolCall, weight: 2 });
    if (ctx.inLoop || ctx.inCase) choices.push({ arbitrary: jump, weight: 2 });
    if (ctx.inCatch) choices.push({ arbitrary: catchStatement, weight: 3 });
    if (ctx.depth > 0) {
      const inner = { ...ctx, depth: ctx.depth - 1 };
      const loopBody = ctx.loops < 2 ? block({ ...inner, loops: ctx.loops + 1, inLoop: true, inCase: false }, 4) : null;
      choices.push({ arbitrary: controlStatement(block(inner, 3), loopBody, block({ ...inner, inCase: true }, 3)), weight: 4 });
      choices.push({ arbitrary: tryStatement(block(inner, 3), block({ ...inner, inCatch: true }, 3)), weight: 2 });
      if (thrown.length > 0) choices.push({ arbitrary: errorFlow(block(inner, 2), block({ ...inner, inCatch: true }, 2), finallyOperation, thrown), weight: 2 });
      if (has("input-conditions")) choices.push({ arbitrary: inputIf(block(inner, 3)), weight: 2 });
    }
    return fc.oneof(...choices);
  };

  const block = (ctx: Ctx, maxLength: number): fc.Arbitrary<Stmt[]> => {
    const key = JSON.stringify([ctx, maxLength]);
    let arb = cache.get(key);
    if (!arb) {
      arb = fc.array(statement(ctx).filter(keep), { maxLength });
      cache.set(key, arb);
    }
    return arb;
  };

  const body = block({ depth: maxDepth, loops: 0, inLoop: false, inCase: false, inCatch: false }, options.maxStatements ?? 8);
  // A program without any durable operation tests little: the compiled side is one fragment.
  const filtered = body.filter(reachesOperation);
  const event = has("ill-typed-input") || has("input-conditions") ? inputEvent(eventArb, has("ill-typed-input")) : eventArb;
  if (!has("mutating-step")) return fc.record({ body: filtered, event });
  // One program in ten: the compiler must refuse it, so its other statements are not checked.
  const mutation = fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.record({ at: fc.nat(8), step: mutatingStep }), weight: 1 });
  return fc.record({ body: filtered, event, mutation });
}

/** Whether a block has a step, wait or waitForCallback before its first statement that always leaves it. */
export function reachesOperation(block: Stmt[]): boolean {
  for (const s of block) {
    if (hasOperation(s)) return true;
    const leaves = (s.k === "return" || s.k === "throw" || s.k === "rethrow" || s.k === "jump") && s.c === null;
    if (leaves) return false;
  }
  return false;
}

/** Whether a statement contains a step, wait or waitForCallback that the printer prints. */
function hasOperation(s: Stmt): boolean {
  switch (s.k) {
    case "step":
    case "wait":
    case "callback":
    case "batch":
    case "errorFlow":
    case "helperCall":
    case "fracWait":
    case "createCallback":
    case "combine":
    case "combineCallbacks":
    case "toolCall":
      return true;
    case "inputUse":
      return s.form === "stepName";
    case "inputIf":
      return reachesOperation(s.then) || reachesOperation(s.else ?? []);
    case "if":
      return reachesOperation(s.then) || reachesOperation(s.else ?? []);
    case "switch":
      return s.cases.some((c) => reachesOperation(c.body)) || reachesOperation(s.dflt ?? []);
    case "for":
    case "forOf":
    case "while":
    case "doWhile":
    case "block":
      return reachesOperation(s.body);
    case "try":
      return reachesOperation(s.body) || reachesOperation(s.handler ?? []) || reachesOperation(s.fin ?? []);
    default:
      return false;
  }
}

export interface GeneratedProgram {
  source: string;
  scenario: Scenario;
  /** Grammar features the program uses (for statistics and regression names). */
  features: string[];
  /** The compiler must refuse the program with one of these codes where their operation is compiled (runner.ts). */
  expectRefusal?: ExpectedRefusal[];
}

export function printProgram(program: ProgramNode): GeneratedProgram {
  const p = new Printer();
  const body = program.mutation ? insertAt(program.body, program.mutation.at % (program.body.length + 1), program.mutation.step) : program.body;
  p.block(
    body,
    () => {
      p.line("const trail: string[] = [];");
      p.line('const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };');
    },
    () => {
      // Values of issue 12 are read once more at the end, after whatever operations followed them.
      p.readValues();
      p.line(`return ${p.localsObject()};`);
    },
  );
  const imports = ["withDurableExecution", ...[...p.imports].sort(), "type DurableContext"];
  const classes = [...p.classes].sort().map((c) => CLASS_SOURCE[c] ?? VALUE_CLASS_SOURCE[c]!);
  const helpers = [...p.helpers].sort().map((h) => HELPER_SOURCE[h]!);
  const input = "n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string" + (p.extendedInput ? `; ${EXTENDED_INPUT}` : "");
  const source = [
    `import { ${imports.join(", ")} } from "@aws/durable-execution-sdk-js";`,
    "",
    `interface Input { ${input} }`,
    "",
    ...classes.flatMap((c) => [c, ""]),
    ...helpers.flatMap((h) => [h, ""]),
    "export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {",
    p.text(),
    "});",
    "",
  ].join("\n");
  const callbacks = Object.fromEntries(Object.entries(p.callbacks).filter(([, answers]) => answers.length > 0));
  const scenario: Scenario = Object.keys(callbacks).length > 0 ? { event: program.event, callbacks } : { event: program.event };
  if (p.extendedInput) p.feature("extended-input");
  if (illTyped(program.event, p.extendedInput)) p.feature("ill-typed-input");
  const generated: GeneratedProgram = { source, scenario, features: [...p.features].sort() };
  return p.expectRefusal.length > 0 ? { ...generated, expectRefusal: p.expectRefusal } : generated;
}

function insertAt<T>(list: T[], at: number, item: T): T[] {
  return [...list.slice(0, at), item, ...list.slice(at)];
}

/** Programs with their scenarios, ready to run. */
export function generatedProgram(options: GeneratorOptions = {}): fc.Arbitrary<GeneratedProgram> {
  return programArbitrary(options).map(printProgram);
}
