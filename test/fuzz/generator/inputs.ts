import fc from "fast-check";
import type { FuzzEvent, InputCondition, ScenarioEvent, Stmt } from "./ast.ts";
import { numExpr, strExpr } from "./expressions.ts";
import type { Printer } from "./printer.ts";

/**
 * Inputs and names (issue 13): scenario events that do not match the declared `Input` (fields
 * missing, null, of another type), conditions, arithmetic and templates over such fields, locals
 * named like JSONata built-ins or words, helpers taking the context called from child contexts
 * and map functions, and computed waits of fractional seconds.
 */

type S<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

/** Declared in `Input` only when a program reads one of them (so other programs print as before). */
export const EXTENDED_INPUT = "express: boolean; region: string; bonus: number; customer: string";

const extendedFields = fc.record({
  express: fc.boolean(),
  region: fc.constantFrom("EU", "US"),
  bonus: fc.integer({ min: 0, max: 3 }),
  customer: fc.constantFrom("ann", "bo"),
});

/** Values of another type than declared, per field. */
const WRONG: Record<string, unknown[]> = {
  n: ["2", true, "x"],
  flag: ["yes", 0, 1, ""],
  mode: [1, true],
  items: [["1", 2], "ab"],
  failUntil: ["1", true],
  failAt: [0],
  express: ["no", 0, 1],
  region: [7, ""],
  bonus: ["2", true],
  customer: [0, false],
};

// `items` less often: most programs read it, and a missing list fails them early.
const FIELDS = ["n", "flag", "mode", "failUntil", "failAt", "express", "region", "bonus", "customer"];
const change = fc.record({
  field: fc.oneof({ arbitrary: fc.constantFrom(...FIELDS), weight: 9 }, { arbitrary: fc.constant("items"), weight: 1 }),
  how: fc.constantFrom("missing" as const, "null" as const, "wrong" as const),
  pick: fc.nat(3),
});

/** The event: the declared fields, the extended ones, and (ill-typed, one event in two) one or two fields changed. */
export function inputEvent(base: fc.Arbitrary<FuzzEvent>, illTyped: boolean): fc.Arbitrary<ScenarioEvent> {
  return fc.tuple(base, extendedFields, illTyped ? fc.oneof(fc.constant([]), fc.array(change, { minLength: 1, maxLength: 2 })) : fc.constant([])).map(([event, extended, changes]) => {
    const out: Record<string, unknown> = { ...event, ...extended };
    for (const c of changes) {
      if (c.how === "missing") delete out[c.field];
      else if (c.how === "null") out[c.field] = null;
      else out[c.field] = WRONG[c.field]![c.pick % WRONG[c.field]!.length];
    }
    return out;
  });
}

/** Whether a scenario event differs from what `Input` declares (with the extended fields or not). */
export function illTypedEvent(event: ScenarioEvent, extended: boolean): boolean {
  const e = event as Record<string, unknown>;
  const types: Record<string, string> = { n: "number", flag: "boolean", mode: "string", failUntil: "number", failAt: "string" };
  if (extended) Object.assign(types, { express: "boolean", region: "string", bonus: "number", customer: "string" });
  return !Array.isArray(e.items) || (e.items as unknown[]).some((x) => typeof x !== "number") || Object.entries(types).some(([k, t]) => typeof e[k] !== t);
}

/** Local names that are JSONata built-ins, operators or words, or Step Functions names. */
export const ADVERSARIAL_NAMES = ["count", "type", "exists", "string", "keys", "number", "sum", "length", "and", "or", "not", "lookup", "$count", "$states", "$", "_", "States", "error", "boolean"] as const;

export const declNamed: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("declNamed" as const),
  name: fc.nat(ADVERSARIAL_NAMES.length - 1),
  type: fc.constantFrom("num" as const, "num" as const, "str" as const),
  num: numExpr(1),
  str: strExpr(1),
  mutable: fc.boolean(),
});

export function inputIf(block: fc.Arbitrary<Stmt[]>): fc.Arbitrary<Stmt> {
  return fc.record({
    k: fc.constant("inputIf" as const),
    cond: fc.constantFrom<InputCondition>("express", "regionNe", "notFlag", "flagStrict", "bonusPositive", "customer", "customerNullish"),
    then: block,
    else: fc.option(block, { nil: null }),
  });
}

export const inputUse: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("inputUse" as const),
  form: fc.constantFrom("bonusSum" as const, "notify" as const, "stepName" as const, "templateAll" as const, "regionDefault" as const),
  num: numExpr(1),
});

export const helperCall: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("helperCall" as const),
  where: fc.constantFrom("top" as const, "child" as const, "nested" as const, "map" as const),
  num: numExpr(1),
  over: fc.constantFrom("items" as const, "literal" as const),
});

export const toolCall: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("toolCall" as const),
  key: fc.constantFrom("add" as const, "twice" as const, "tally" as const, "fromInput" as const, "fromInput" as const),
  num: numExpr(1),
});

export const fracWait: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("fracWait" as const),
  form: fc.constantFrom("half" as const, "quarter" as const),
  named: fc.boolean(),
  e: numExpr(1),
});

// ---- printing ------------------------------------------------------------------------------------

/** Module helpers taking the context, printed only when used. */
export const HELPER_SOURCE: Record<string, string> = {
  tally: [
    "async function tally(ctx: DurableContext, label: string, n: number): Promise<number> {",
    "  const doubled = await ctx.step(label, async () => n * 2);",
    "  await ctx.wait({ seconds: 1 });",
    "  return doubled + 1;",
    "}",
  ].join("\n"),
  // A tool table (issue 14): functions taking the context, called by a key fixed at build time or from the input.
  toolTable: [
    "const toolTable = {",
    "  add: async (ctx: DurableContext, label: string, n: number) => ctx.step(label, async () => n + 1),",
    "  twice: async (ctx: DurableContext, label: string, n: number) => {",
    "    await ctx.wait({ seconds: 1 });",
    "    return ctx.step(label, async () => n * 2);",
    "  },",
    "  tally,",
    "};",
  ].join("\n"),
  tallyTwice: [
    "async function tallyTwice(ctx: DurableContext, label: string, n: number): Promise<number> {",
    "  const first = await tally(ctx, `${label}-a`, n);",
    "  return tally(ctx, `${label}-b`, first);",
    "}",
  ].join("\n"),
};

export function printDeclNamed(s: S<"declNamed">, p: Printer): boolean {
  const name = p.adversarialName(ADVERSARIAL_NAMES[s.name]!);
  p.feature("adversarial-names");
  const init = s.type === "num" ? p.num(s.num) : p.str(s.str);
  p.line(`${s.mutable ? "let" : "const"} ${name}: ${s.type === "num" ? "number" : "string"} = ${init};`);
  p.declare(name, s.type, s.mutable);
  return false;
}

const CONDITIONS: Record<InputCondition, string> = {
  express: "event.express",
  regionNe: 'event.region !== "EU"',
  notFlag: "!event.flag",
  // Widened: an earlier `if (event.flag) return` narrows it to false (TS2367).
  flagStrict: "(event.flag as boolean) === true",
  bonusPositive: "event.bonus > 0",
  customer: "event.customer",
  customerNullish: "event.customer == null",
};

export function printInputIf(s: S<"inputIf">, p: Printer): boolean {
  p.feature("input-conditions");
  p.extendedInput = true;
  p.line(`if (${CONDITIONS[s.cond]}) {`);
  p.block(s.then);
  if (s.else) {
    p.line("} else {");
    p.block(s.else);
  }
  p.line("}");
  return false;
}

export function printInputUse(s: S<"inputUse">, p: Printer): boolean {
  p.feature("input-conditions");
  p.extendedInput = true;
  switch (s.form) {
    case "bonusSum": {
      const v = p.fresh("v");
      p.line(`const ${v}: number = ${p.num(s.num)} + event.bonus;`);
      p.declare(v, "num", false);
      break;
    }
    case "notify": {
      const t = p.fresh("t");
      p.line(`const ${t}: string = \`notify \${event.customer}\`;`);
      p.declare(t, "str", false);
      break;
    }
    case "stepName": {
      const v = p.fresh("v");
      p.line(`const ${v} = await context.step(\`notify \${event.customer}\`, async () => event.bonus + ${p.num(s.num)});`);
      p.declare(v, "num", false);
      p.feature("step");
      break;
    }
    case "templateAll":
      p.line("trail.push(`n=${event.n} flag=${event.flag} mode=${event.mode} bonus=${event.bonus} region=${event.region} express=${event.express}`);");
      break;
    case "regionDefault": {
      const t = p.fresh("t");
      p.line(`const ${t}: string = event.region ?? "none";`);
      p.declare(t, "str", false);
      break;
    }
  }
  return false;
}

export function printHelperCall(s: S<"helperCall">, p: Printer): boolean {
  const site = `h${p.sites.helper++}`;
  p.feature("context-helpers");
  p.feature(`helper-${s.where}`);
  p.helpers.add("tally");
  const arg = p.fresh("v");
  p.line(`const ${arg}: number = ${p.num(s.num)};`);
  p.declare(arg, "num", false);
  const v = p.fresh("v");
  switch (s.where) {
    case "top":
      p.line(`const ${v} = await tally(context, "${site}", ${arg});`);
      break;
    case "child":
      p.line(`const ${v} = await context.runInChildContext("${site}", async (child) => tally(child, "${site}-step", ${arg}));`);
      break;
    case "nested":
      p.helpers.add("tallyTwice");
      p.line(`const ${v} = await context.runInChildContext("${site}", async (child) => tallyTwice(child, "${site}", ${arg}));`);
      break;
    case "map": {
      const items = s.over === "items" ? "event.items" : "([1, 2] as number[])";
      const batch = p.fresh("b");
      p.line(`const ${batch} = await context.map("${site}", ${items}, async (ctx, item, i) => tally(ctx, \`${site}-\${i}\`, item + ${arg}));`);
      p.line(`const ${v}: number = ${batch}.getResults().reduce((sum, x) => sum + x, 0);`);
      break;
    }
  }
  p.declare(v, "num", false);
  return false;
}

export function printFracWait(s: S<"fracWait">, p: Printer): boolean {
  const site = `w${p.sites.wait++}`;
  p.feature("wait");
  p.feature("fractional-wait");
  // Integers give (x % 4) in -3..3: 1 to 4 seconds in halves, or 2 to 3.5 in quarters.
  const seconds = s.form === "half" ? `((${p.num(s.e)} % 4) + 5) / 2` : `((${p.num(s.e)} % 4) + 11) / 4`;
  p.line(`await context.wait(${s.named ? `"${site}", ` : ""}{ seconds: ${seconds} });`);
  return false;
}

export function printToolCall(s: S<"toolCall">, p: Printer): boolean {
  const site = `tt${p.sites.helper++}`;
  p.feature("tool-tables");
  p.feature(`tool-table-${s.key}`);
  p.helpers.add("tally");
  p.helpers.add("toolTable");
  const arg = p.fresh("v");
  p.line(`const ${arg}: number = ${p.num(s.num)};`);
  p.declare(arg, "num", false);
  const v = p.fresh("v");
  // From the input: one of the keys, or one the table does not hold (a TypeError, as in JavaScript),
  // bound to a const first, as the compiler asks (it refuses a key worked out in the brackets: D2S2004).
  let callee = s.key === "twice" ? `toolTable["twice"]` : `toolTable.${s.key}`;
  if (s.key === "fromInput") {
    const key = p.fresh("key");
    p.line(`const ${key} = ["add", "twice", "tally", "none"][Math.abs(Number(event.n)) % 4] as keyof typeof toolTable;`);
    callee = `toolTable[${key}]`;
  }
  p.line(`const ${v}: number = await ${callee}(context, "${site}", ${arg});`);
  p.declare(v, "num", false);
  return false;
}
