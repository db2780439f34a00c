import fc from "fast-check";
import type { BoolExpr, LoopBound, Stmt, SwitchCase } from "./ast.ts";
import { boolExpr, MODES, numExpr, strExpr } from "./expressions.ts";
import type { Printer } from "./printer.ts";

/**
 * Control flow: if / else (if), switch on a number (`x % m`) or on `event.mode` with cases that
 * fall through or break and an optional default, bounded loops (for with a literal or `event.n`
 * bound, for-of over `event.items`, a literal array or a copy of an array local, while and
 * do-while with a counter incremented first), optionally labelled, with break / continue (plain,
 * conditional, or to the enclosing labelled loop), nested blocks, and returns in the middle.
 *
 * Termination: every loop runs at most 3 times (`event.n` is 0..3 and `event.items` has at most 4
 * items) and its counter cannot be assigned by the body (counters are not assignable locals).
 */

type S<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

const bound: fc.Arbitrary<LoopBound> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 3 }).map((n): LoopBound => ({ k: "literal", n })), weight: 3 },
  { arbitrary: fc.constant<LoopBound>({ k: "event" }), weight: 1 },
);

const condition = boolExpr(2);

/** Compound statements, given the arbitrary of a nested block (one level less deep). */
export function controlStatement(block: fc.Arbitrary<Stmt[]>, loopBody: fc.Arbitrary<Stmt[]> | null, caseBody: fc.Arbitrary<Stmt[]>): fc.Arbitrary<Stmt> {
  const switchCase: fc.Arbitrary<SwitchCase> = fc.record({
    value: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom<number | string>(...MODES)),
    body: caseBody,
    brk: fc.boolean(),
  });
  const choices: Array<{ arbitrary: fc.Arbitrary<Stmt>; weight: number }> = [
    { arbitrary: fc.record({ k: fc.constant("if" as const), c: condition, then: block, else: fc.option(block, { nil: null }) }), weight: 4 },
    {
      arbitrary: fc.record({
        k: fc.constant("switch" as const),
        on: fc.oneof(
          fc.record({ num: numExpr(1), m: fc.constantFrom(2 as const, 3 as const, 4 as const) }),
          fc.constant({ mode: true as const }),
        ),
        cases: fc.array(switchCase, { minLength: 1, maxLength: 3 }),
        dflt: fc.option(caseBody, { nil: null }),
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ k: fc.constant("block" as const), body: block }), weight: 1 },
  ];
  if (!loopBody) return fc.oneof(...choices);
  choices.push(
    { arbitrary: fc.record({ k: fc.constant("for" as const), bound, label: fc.boolean(), body: loopBody }), weight: 2 },
    {
      arbitrary: fc.record({
        k: fc.constant("forOf" as const),
        over: fc.constantFrom("items" as const, "literal" as const, "copy" as const),
        literal: fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 3 }),
        pick: fc.nat(3),
        label: fc.boolean(),
        body: loopBody,
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ k: fc.constant("while" as const), bound, label: fc.boolean(), body: loopBody }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant("doWhile" as const), bound, label: fc.boolean(), body: loopBody }), weight: 1 },
  );
  return fc.oneof(...choices);
}

/** break / continue: only generated inside loops and switch cases. */
export const jump: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("jump" as const),
  jump: fc.constantFrom("break" as const, "continue" as const),
  outer: fc.boolean(),
  c: fc.option(boolExpr(1) as fc.Arbitrary<BoolExpr>, { nil: null, freq: 4 }),
});

export const returnStatement: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("return" as const),
  c: fc.option(boolExpr(1), { nil: null, freq: 5 }),
  shape: fc.constantFrom("locals" as const, "locals" as const, "num" as const, "str" as const),
  num: numExpr(1),
  str: strExpr(1),
});

// ---- printing ------------------------------------------------------------------------------------

export function printIf(s: S<"if">, p: Printer): boolean {
  p.feature(s.else ? "if-else" : "if");
  p.line(`if (${p.bool(s.c)}) {`);
  p.block(s.then);
  let rest = s.else;
  // else-if chains
  while (rest && rest.length === 1 && rest[0]!.k === "if") {
    const inner = rest[0] as S<"if">;
    p.line(`} else if (${p.bool(inner.c)}) {`);
    p.block(inner.then);
    rest = inner.else;
  }
  if (rest) {
    p.line("} else {");
    p.block(rest);
  }
  p.line("}");
  return false;
}

export function printSwitch(s: S<"switch">, p: Printer): boolean {
  p.feature("switch");
  const onMode = "mode" in s.on;
  // Widened always: TypeScript narrows `event.mode` inside a case, and after a switch whose other
  // cases all return (seed 3 program 401), so a later `case` of another value would be TS2678.
  p.line(`switch (${"mode" in s.on ? "event.mode as string" : `${p.num(s.on.num)} % ${s.on.m}`}) {`);
  const seen = new Set<string>();
  p.withSwitch(() => {
    s.cases.forEach((c, i) => {
      const value = onMode ? MODES[typeof c.value === "number" ? c.value % MODES.length : MODES.indexOf(c.value as (typeof MODES)[number])] : typeof c.value === "number" ? c.value : c.value.length;
      const label = JSON.stringify(value);
      if (seen.has(label)) return;
      seen.add(label);
      p.line(`  case ${label}: {`);
      p.block(c.body);
      p.line("  }");
      const last = i === s.cases.length - 1 && !s.dflt;
      if (c.brk) p.line("    break;");
      else if (!last) {
        p.line("  // falls through");
        p.feature("switch-fallthrough");
      }
    });
    if (s.dflt) {
      p.line("  default: {");
      p.block(s.dflt);
      p.line("  }");
    }
  });
  p.line("}");
  return false;
}

function boundText(b: LoopBound): string {
  return b.k === "literal" ? String(b.n) : "event.n";
}

export function printLoop(s: S<"for" | "forOf" | "while" | "doWhile">, p: Printer): boolean {
  const label = s.label ? p.fresh("loop") : null;
  const prefix = label ? `${label}: ` : "";
  p.feature(s.k);
  if (label) p.feature("label");
  switch (s.k) {
    case "for": {
      const i = p.fresh("i");
      p.line(`${prefix}for (let ${i} = 0; ${i} < ${boundText(s.bound)}; ${i}++) {`);
      p.withLoop(label, () => p.block(s.body, () => p.declare(i, "num", false)));
      p.line("}");
      return false;
    }
    case "forOf": {
      const x = p.fresh("x");
      let over: string;
      if (s.over === "items") over = "event.items";
      else if (s.over === "copy") over = `[...${p.pick("arr", s.pick)?.name ?? "event.items"}]`;
      // Typed: an empty literal would make the loop variable `never` (seed 3 program 2835, TS2322).
      else over = `([${s.literal.join(", ")}] as number[])`;
      p.line(`${prefix}for (const ${x} of ${over}) {`);
      p.withLoop(label, () => p.block(s.body, () => p.declare(x, "num", false)));
      p.line("}");
      return false;
    }
    case "while": {
      const w = p.fresh("w");
      p.line(`let ${w} = 0;`);
      p.line(`${prefix}while (${w} < ${boundText(s.bound)}) {`);
      p.withLoop(label, () =>
        p.block(s.body, () => {
          p.line(`${w}++;`);
          p.declare(w, "num", false);
        }),
      );
      p.line("}");
      p.declare(w, "num", false);
      return false;
    }
    case "doWhile": {
      const w = p.fresh("w");
      p.line(`let ${w} = 0;`);
      p.line(`${prefix}do {`);
      p.withLoop(label, () =>
        p.block(s.body, () => {
          p.line(`${w}++;`);
          p.declare(w, "num", false);
        }),
      );
      p.line(`} while (${w} < ${boundText(s.bound)});`);
      p.declare(w, "num", false);
      return false;
    }
  }
}

export function printJump(s: S<"jump">, p: Printer): boolean {
  const text = p.jumpText(s.jump, s.outer);
  if (!text) return false;
  p.feature(s.jump);
  if (text.includes(" ")) p.feature(`${s.jump}-label`);
  if (s.c) {
    p.line(`if (${p.bool(s.c)}) ${text};`);
    return false;
  }
  p.line(`${text};`);
  return true;
}

export function printBlockStatement(s: S<"block">, p: Printer): boolean {
  p.feature("block");
  p.line("{");
  p.block(s.body);
  p.line("}");
  return false;
}

export function printReturn(s: S<"return">, p: Printer): boolean {
  p.feature(s.c ? "return-conditional" : "return-middle");
  // D2S2012: under a finally, JavaScript would return an object the finally can still change.
  const value = p.guardedReturns > 0 ? (p.pick("num", s.num.k === "var" ? s.num.pick : 0)?.name ?? "0") : s.shape === "locals" ? p.localsObject() : s.shape === "num" ? p.num(s.num) : p.str(s.str);
  if (s.c) {
    p.line(`if (${p.bool(s.c)}) return ${value};`);
    return false;
  }
  p.line(`return ${value};`);
  return true;
}
