import fc from "fast-check";
import type { Scenario } from "../../../runtime/emulator/scenario.ts";
import type { FuzzEvent, ProgramNode, Stmt } from "./ast.ts";
import { controlStatement, jump, returnStatement } from "./control.ts";
import { CLASS_SOURCE, catchStatement, throwStatement, tryStatement } from "./errors.ts";
import { MODES } from "./expressions.ts";
import { localStatement } from "./locals.ts";
import { batch } from "./batches.ts";
import { callback, step, wait } from "./operations.ts";
import { Printer } from "./printer.ts";

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
    if (ctx.inLoop || ctx.inCase) choices.push({ arbitrary: jump, weight: 2 });
    if (ctx.inCatch) choices.push({ arbitrary: catchStatement, weight: 3 });
    if (ctx.depth > 0) {
      const inner = { ...ctx, depth: ctx.depth - 1 };
      const loopBody = ctx.loops < 2 ? block({ ...inner, loops: ctx.loops + 1, inLoop: true, inCase: false }, 4) : null;
      choices.push({ arbitrary: controlStatement(block(inner, 3), loopBody, block({ ...inner, inCase: true }, 3)), weight: 4 });
      choices.push({ arbitrary: tryStatement(block(inner, 3), block({ ...inner, inCatch: true }, 3)), weight: 2 });
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
  return fc.record({ body: body.filter(reachesOperation), event: eventArb });
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
      return true;
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
}

export function printProgram(program: ProgramNode): GeneratedProgram {
  const p = new Printer();
  p.block(
    program.body,
    () => {
      p.line("const trail: string[] = [];");
      p.line('const state: { count: number; last: string; tags: string[] } = { count: 0, last: "start", tags: [] };');
    },
    () => p.line(`return ${p.localsObject()};`),
  );
  const imports = ["withDurableExecution", ...[...p.imports].sort(), "type DurableContext"];
  const classes = [...p.classes].sort().map((c) => CLASS_SOURCE[c]!);
  const source = [
    `import { ${imports.join(", ")} } from "@aws/durable-execution-sdk-js";`,
    "",
    "interface Input { n: number; flag: boolean; mode: string; items: number[]; failUntil: number; failAt: string }",
    "",
    ...classes.flatMap((c) => [c, ""]),
    "export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {",
    p.text(),
    "});",
    "",
  ].join("\n");
  const callbacks = Object.fromEntries(Object.entries(p.callbacks).filter(([, answers]) => answers.length > 0));
  const scenario: Scenario = Object.keys(callbacks).length > 0 ? { event: program.event, callbacks } : { event: program.event };
  return { source, scenario, features: [...p.features].sort() };
}

/** Programs with their scenarios, ready to run. */
export function generatedProgram(options: GeneratorOptions = {}): fc.Arbitrary<GeneratedProgram> {
  return programArbitrary(options).map(printProgram);
}
