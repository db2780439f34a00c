import fc from "fast-check";
import type { MutatingStep, Stmt, StepNode, ValueForm, WaitNode } from "./ast.ts";
import { boolExpr, numExpr, strExpr } from "./expressions.ts";
import type { Feature } from "./features.ts";
import type { Local, Printer } from "./printer.ts";

/**
 * Values that JSON does not carry as they are (issue 12), declared before random statements (so
 * durable operations fall between the declaration and its uses) and then read or changed: class
 * instances with a method and a getter (alone and in an array), object literals with a method, Date / Set / Map nested in an object, closures over const
 * locals, aliases into an array, object getters, NaN / Infinity / -0, undefined fields and array
 * elements, objects with adversarial keys (issue 13); errors of a module class with an extra field,
 * and thrown strings and objects, caught and read after a durable finally; and step bodies that
 * change a handler variable, which the compiler must refuse (D2S2002).
 */

type S<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

/** Which feature turns each form on. */
export const FORM_FEATURE: Record<ValueForm, Feature> = {
  instance: "class-instance",
  instanceList: "class-instance",
  methods: "closure",
  nested: "nested-builtins",
  closure: "closure",
  alias: "alias",
  getter: "getter",
  special: "special-numbers",
  undefined: "undefined-values",
  keys: "adversarial-keys",
};

/** Object keys that are no JavaScript identifier, or JSONata / JSON words. */
export const ADVERSARIAL_KEYS = ["true", "false", "null", "a b", "$x", "0", "a.b", "count", "type", "-"] as const;

export function declValue(forms: ValueForm[]): fc.Arbitrary<Stmt> {
  return fc.record({
    k: fc.constant("declValue" as const),
    form: fc.constantFrom(...forms),
    num: numExpr(1),
    str: strExpr(0),
    keys: fc.uniqueArray(fc.nat(ADVERSARIAL_KEYS.length - 1), { minLength: 1, maxLength: 3 }),
  });
}

export const useValue: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("useValue" as const),
  pick: fc.nat(3),
  write: fc.boolean(),
  num: numExpr(1),
  str: strExpr(0),
});

export function errorFlow(block: fc.Arbitrary<Stmt[]>, catchBlock: fc.Arbitrary<Stmt[]>, fin: fc.Arbitrary<StepNode | WaitNode>, thrown: Array<S<"errorFlow">["thrown"]>): fc.Arbitrary<Stmt> {
  return fc.record({
    k: fc.constant("errorFlow" as const),
    thrown: fc.constantFrom(...thrown),
    c: boolExpr(1),
    num: numExpr(1),
    str: strExpr(0),
    body: block,
    handler: catchBlock,
    fin,
  });
}

export const throwValue: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("throwValue" as const),
  value: fc.constantFrom("string" as const, "object" as const),
  str: strExpr(0),
  c: fc.option(boolExpr(1), { nil: null, freq: 4 }),
});

export const mutatingStep: fc.Arbitrary<MutatingStep> = fc.record({
  k: fc.constant("mutatingStep" as const),
  form: fc.constantFrom("push" as const, "increment" as const, "compound" as const, "field" as const, "splice" as const, "assign" as const, "arrayPush" as const),
  pick: fc.nat(3),
});

// ---- printing ------------------------------------------------------------------------------------

/** Module classes these statements use, printed only when used. */
export const VALUE_CLASS_SOURCE: Record<string, string> = {
  Basket: [
    "class Basket {",
    "  constructor(public items: number[]) {}",
    "  total(): number {",
    "    return this.items.reduce((sum, v) => sum + v, 0);",
    "  }",
    "  get size(): number {",
    "    return this.items.length;",
    "  }",
    "  add(v: number): void {",
    "    this.items.push(v);",
    "  }",
    "}",
  ].join("\n"),
  MigrationError: [
    "class MigrationError extends Error {",
    "  code: number;",
    "  constructor(message: string, code: number) {",
    "    super(message);",
    '    this.name = "MigrationError";',
    "    this.code = code;",
    "  }",
    "}",
  ].join("\n"),
};

const propertyAccess = (object: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${object}.${key}` : `${object}[${JSON.stringify(key)}]`);

export function printDeclValue(s: S<"declValue">, p: Printer): boolean {
  const x = p.fresh("val");
  p.feature(FORM_FEATURE[s.form]);
  p.feature(`value-${s.form}`);
  const num = p.num(s.num);
  const str = p.str(s.str);
  const aux: string[] = [];
  switch (s.form) {
    case "instance":
      p.classes.add("Basket");
      p.line(`const ${x}: Basket = new Basket([${num}, 2]);`);
      break;
    case "instanceList":
      p.classes.add("Basket");
      p.line(`const ${x}: Basket[] = [new Basket([${num}]), new Basket([2, 3])];`);
      break;
    case "methods":
      p.line(`const ${x} = { n: ${num}, twice(): number { return this.n * 2; } };`);
      break;
    case "nested":
      p.line(`const ${x}: { at: Date; tags: Set<string>; index: Map<string, number> } = { at: new Date(1700000000000 + (${num}) * 1000), tags: new Set([${str}]), index: new Map([["k", ${num}]]) };`);
      break;
    case "closure": {
      const base = p.fresh("v");
      p.line(`const ${base}: number = ${num};`);
      p.line(`const ${x} = (y: number): number => y * 2 + ${base};`);
      p.declare(base, "num", false);
      break;
    }
    case "alias": {
      const first = p.fresh("first");
      p.line(`const ${x}: Array<{ k: number }> = [{ k: ${num} }, { k: 2 }];`);
      p.line(`const ${first} = ${x}[0]!;`);
      aux.push(first);
      break;
    }
    case "getter":
      p.line(`const ${x} = { items: [${num}] as number[], get count(): number { return this.items.length; } };`);
      break;
    case "special": {
      const mean = p.fresh("mean");
      // (n % 1) is 0 for integers, so `zero` is -0; the mean is NaN, ±Infinity, -0 or finite.
      p.line(`const ${x}: { mean: number; ratio: number; zero: number } = { mean: (${num}) / ((${num}) % 2), ratio: (${num}) / 0, zero: -((${num}) % 1) };`);
      p.line(`const ${mean}: number = ${x}.mean;`);
      aux.push(mean);
      break;
    }
    case "undefined":
      p.line(`const ${x}: { email: string; phone?: string; list: Array<number | undefined> } = { email: ${str}, phone: undefined, list: [${num}, undefined] };`);
      break;
    case "keys": {
      const keys = s.keys.map((i) => ADVERSARIAL_KEYS[i]!);
      const type = keys.map((k) => `${JSON.stringify(k)}: number`).join("; ");
      const value = keys.map((k, i) => `${JSON.stringify(k)}: ${i === 0 ? num : i}`).join(", ");
      p.line(`const ${x}: { ${type} } = { ${value} };`);
      aux.push(...keys);
      break;
    }
  }
  p.declareValue(x, s.form, aux);
  return false;
}

/** A string describing the value, read the way a handler would. */
function readValue(x: string, form: ValueForm, aux: string[]): string {
  switch (form) {
    case "instance":
      return `\`basket \${${x}.total()}/\${${x}.size}/\${${x} instanceof Basket}\``;
    case "instanceList":
      return `\`baskets \${${x}.map((b) => b.total()).join(",")} \${${x}[0] instanceof Basket}\``;
    case "methods":
      return `\`methods \${${x}.twice()}\``;
    case "nested":
      return `\`nested \${${x}.at.getTime()} \${${x}.at.toISOString()} \${${x}.tags.has("a")}/\${${x}.tags.size} \${${x}.index.get("k")}\``;
    case "closure":
      return `\`closure \${${x}(3)} \${[1, 2].map(${x}).join(",")}\``;
    case "alias":
      return `\`alias \${${x}[0]!.k} \${${aux[0]}.k} \${${x}[0] === ${aux[0]}}\``;
    case "getter":
      return `\`getter \${${x}.count} \${JSON.stringify(${x})}\``;
    case "special":
      return `\`special \${Number.isNaN(${x}.mean)} \${${x}.mean} \${${x}.ratio} \${Object.is(${x}.zero, -0)} \${1 / ${x}.zero} \${Object.is(${aux[0]}, -0)} \${Number.isFinite(${aux[0]})}\``;
    case "undefined":
      return `\`undefined \${Object.keys(${x}).join(",")} \${"phone" in ${x}} \${${x}.list.length} \${${x}.list[1] === undefined} \${JSON.stringify(${x})}\``;
    case "keys":
      return `\`keys \${Object.keys(${x}).join("|")} \${${aux.map((k) => propertyAccess(x, k)).join(" + ")}}\``;
  }
}

/** A change of the value in place, or undefined when the form has none. */
function writeValue(x: string, form: ValueForm, aux: string[], num: string, str: string): string | undefined {
  switch (form) {
    case "instance":
      return `${x}.add(${num});`;
    case "instanceList":
      return `${x}[0]!.add(${num});`;
    case "methods":
      return `${x}.n += ${num};`;
    case "nested":
      return `${x}.tags.add(${str}); ${x}.index.set("k", ${num});`;
    case "closure":
      return undefined;
    case "alias":
      return `${aux[0]}.k = ${num};`;
    case "getter":
      return `${x}.items.push(${num});`;
    case "special":
      return `${x}.mean = ${x}.mean * 2;`;
    case "undefined":
      return `${x}.list.push(undefined);`;
    case "keys":
      return `${propertyAccess(x, aux[aux.length - 1]!)} += ${num};`;
  }
}

export function printUseValue(s: S<"useValue">, p: Printer): boolean {
  const local = p.pick("value", s.pick);
  if (!local) return false;
  const write = s.write ? writeValue(local.name, local.form!, local.aux ?? [], p.num(s.num), p.str(s.str)) : undefined;
  if (!write) return printReadValue(local, p);
  p.feature("value-write");
  p.line(write);
  return false;
}

export function printReadValue(local: Local, p: Printer): boolean {
  p.feature("value-read");
  p.line(`trail.push(${readValue(local.name, local.form!, local.aux ?? [])});`);
  return false;
}

function thrownText(s: S<"errorFlow">, p: Printer): string {
  switch (s.thrown) {
    case "class":
      p.classes.add("MigrationError");
      return `new MigrationError(${p.str(s.str)}, ${p.num(s.num)})`;
    case "string":
      return `\`failed \${${p.str(s.str)}}\``;
    case "object":
      return `{ code: ${p.num(s.num)}, reason: ${p.str(s.str)} }`;
    case "error":
      return `new Error(${p.str(s.str)})`;
  }
}

/**
 * try { ...; if (c) throw <value>; } catch (c) { kept = c; ...; instanceof } finally { <operation> }
 * then the kept value read after the finally: what was thrown crosses the catch block's and the
 * finally's durable operations.
 */
export function printErrorFlow(s: S<"errorFlow">, p: Printer): boolean {
  p.feature(s.thrown === "class" ? "error-class" : "throw-value");
  const kept = p.fresh("kept");
  const e = p.fresh("e");
  const thrown = thrownText(s, p);
  p.line(`let ${kept}: unknown = "nothing";`);
  p.line("try {");
  p.guardedReturns++;
  p.block(s.body, undefined, () => p.line(`if (${p.bool(s.c)}) throw ${thrown};`));
  p.line(`} catch (${e}) {`);
  p.withCatch(e, () =>
    p.block(
      s.handler,
      () => p.line(`${kept} = ${e};`),
      () => {
        if (s.thrown === "class") p.line(`trail.push(${e} instanceof MigrationError ? \`migration \${(${e} as MigrationError).code}\` : "not-migration");`);
      },
    ),
  );
  p.guardedReturns--;
  p.line("} finally {");
  p.block([s.fin]);
  p.line("}");
  // Cast after each test: inside loops TypeScript may not narrow it (seed 4242 program 219, TS18046).
  const seen = p.fresh("seen");
  p.line(`const ${seen}: unknown = ${kept};`);
  const as = (type: string) => `(${seen} as ${type})`;
  const read =
    `${seen} instanceof MigrationError ? \`migration \${${as("MigrationError")}.code} \${${as("MigrationError")}.name} \${${as("MigrationError")}.message}\`` +
    ` : ${seen} instanceof Error ? \`error \${${as("Error")}.name} \${${as("Error")}.message}\`` +
    ` : typeof ${seen} === "object" && ${seen} !== null ? \`object \${JSON.stringify(${seen})}\`` +
    ` : \`value \${String(${seen})}\``;
  p.classes.add("MigrationError");
  p.line(`trail.push(${read});`);
  return false;
}

export function printThrowValue(s: S<"throwValue">, p: Printer): boolean {
  p.feature("throw-value");
  const value = s.value === "string" ? `\`thrown \${${p.str(s.str)}}\`` : `{ code: 7, reason: ${p.str(s.str)} }`;
  if (s.c) {
    p.line(`if (${p.bool(s.c)}) throw ${value};`);
    return false;
  }
  p.line(`throw ${value};`);
  return true;
}

/** The compiler must refuse the program (D2S2002): the SDK keeps such a change only until a replay. */
export function printMutatingStep(s: MutatingStep, p: Printer): boolean {
  p.feature("mutating-step");
  p.expectRefusal.push({ code: "D2S2002", site: `mutating${p.sites.step}` });
  let change: string;
  switch (s.form) {
    case "push":
      change = 'trail.push("in-step");';
      break;
    case "increment":
      change = "state.count++;";
      break;
    case "compound":
      change = "state.count += 1;";
      break;
    case "field": {
      const obj = p.pick("obj", s.pick);
      change = obj ? `${obj.name}.a = 1;` : 'state.last = "in-step";';
      break;
    }
    case "splice":
      change = "state.tags.splice(0, 1);";
      break;
    case "assign": {
      const target = p.pick("num", s.pick, true);
      change = target ? `${target.name} = 1;` : "state.count = 1;";
      break;
    }
    case "arrayPush": {
      const arr = p.pick("arr", s.pick);
      change = arr ? `${arr.name}.push(1);` : 'state.tags.push("in-step");';
      break;
    }
  }
  p.line(`await context.step("mutating${p.sites.step++}", async () => {`);
  p.line(`  ${change}`);
  p.line("  return 1;");
  p.line("});");
  return false;
}
