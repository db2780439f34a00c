import fc from "fast-check";
import type { BoolExpr, NumExpr, StrExpr } from "./ast.ts";
import type { Printer } from "./printer.ts";

/**
 * Expressions: integer arithmetic (+, -, * by 2 or 3, % by 2..5, ?:), comparisons, boolean
 * connectives, string literals, templates and concatenation, over locals, `event`, `trail`,
 * `state`, object and array locals, and `stepCtx.attempt` inside step bodies. Values stay
 * integers and finite, so both engines compute the same numbers.
 */

export const STRINGS = ["a", "b", "c", "ok", "x1", ""] as const;
export const MODES = ["a", "b", "c"] as const;

const literalString = fc.constantFrom(...STRINGS);
/** Text inside a template: nothing that needs escaping. */
const templateText = fc.constantFrom("", "-", " ", ":", "n=", "at ", "/");

const memo = <T>(build: (depth: number) => fc.Arbitrary<T>) => {
  const cache = new Map<number, fc.Arbitrary<T>>();
  return (depth: number): fc.Arbitrary<T> => {
    let arb = cache.get(depth);
    if (!arb) cache.set(depth, (arb = build(depth)));
    return arb;
  };
};

export const numExpr: (depth: number) => fc.Arbitrary<NumExpr> = memo((depth) => {
  const leaves: fc.Arbitrary<NumExpr>[] = [
    fc.integer({ min: -3, max: 9 }).map((v): NumExpr => ({ k: "lit", v })),
    fc.nat(7).map((pick): NumExpr => ({ k: "var", pick })),
    fc.constantFrom<NumExpr>({ k: "event", field: "n" }, { k: "event", field: "failUntil" }, { k: "count" }),
    fc.record({ of: fc.constantFrom("trail" as const, "items" as const, "tags" as const, "arr" as const), pick: fc.nat(3) }).map((r): NumExpr => ({ k: "len", ...r })),
    fc.nat(3).map((pick): NumExpr => ({ k: "objA", pick })),
    fc.constant<NumExpr>({ k: "attempt" }),
  ];
  const leaf = fc.oneof(
    { arbitrary: leaves[0]!, weight: 3 },
    { arbitrary: leaves[1]!, weight: 4 },
    { arbitrary: leaves[2]!, weight: 2 },
    { arbitrary: leaves[3]!, weight: 1 },
    { arbitrary: leaves[4]!, weight: 1 },
    { arbitrary: leaves[5]!, weight: 1 },
  );
  if (depth <= 0) return leaf;
  const sub = numExpr(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 5 },
    { arbitrary: fc.record({ op: fc.constantFrom("+" as const, "-" as const), l: sub, r: sub }).map((r): NumExpr => ({ k: "bin", ...r })), weight: 3 },
    { arbitrary: fc.record({ l: sub, by: fc.constantFrom(2 as const, 3 as const) }).map((r): NumExpr => ({ k: "mul", ...r })), weight: 1 },
    { arbitrary: fc.record({ l: sub, m: fc.constantFrom(2 as const, 3 as const, 4 as const, 5 as const) }).map((r): NumExpr => ({ k: "mod", ...r })), weight: 1 },
    { arbitrary: fc.record({ c: boolExpr(depth - 1), a: sub, b: sub }).map((r): NumExpr => ({ k: "cond", ...r })), weight: 1 },
  );
});

export const strExpr: (depth: number) => fc.Arbitrary<StrExpr> = memo((depth) => {
  const leaf = fc.oneof(
    { arbitrary: literalString.map((v): StrExpr => ({ k: "lit", v })), weight: 3 },
    { arbitrary: fc.nat(7).map((pick): StrExpr => ({ k: "var", pick })), weight: 3 },
    { arbitrary: fc.constantFrom<StrExpr>({ k: "mode" }, { k: "last" }), weight: 2 },
    { arbitrary: fc.nat(3).map((pick): StrExpr => ({ k: "objB", pick })), weight: 1 },
  );
  if (depth <= 0) return leaf;
  const span = fc.record({
    e: fc.oneof(numExpr(depth - 1).map((num) => ({ num })), strExpr(depth - 1).map((str) => ({ str }))),
    tail: templateText,
  });
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    { arbitrary: fc.record({ head: templateText, spans: fc.array(span, { minLength: 1, maxLength: 2 }) }).map((r): StrExpr => ({ k: "tmpl", ...r })), weight: 2 },
    { arbitrary: fc.record({ l: strExpr(depth - 1), r: strExpr(depth - 1) }).map((r): StrExpr => ({ k: "concat", ...r })), weight: 1 },
  );
});

export const boolExpr: (depth: number) => fc.Arbitrary<BoolExpr> = memo((depth) => {
  const num = numExpr(Math.min(depth, 1));
  const leaf = fc.oneof(
    {
      arbitrary: fc
        .record({ op: fc.constantFrom("<" as const, "<=" as const, ">" as const, ">=" as const, "===" as const, "!==" as const), l: num, r: num })
        .map((r): BoolExpr => ({ k: "cmp", ...r })),
      weight: 5,
    },
    { arbitrary: fc.constant<BoolExpr>({ k: "flag" }), weight: 2 },
    { arbitrary: fc.record({ l: strExpr(0), v: literalString, neg: fc.boolean() }).map((r): BoolExpr => ({ k: "streq", ...r })), weight: 2 },
    { arbitrary: literalString.map((v): BoolExpr => ({ k: "includes", v })), weight: 1 },
  );
  if (depth <= 0) return leaf;
  const sub = boolExpr(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 5 },
    { arbitrary: sub.map((e): BoolExpr => ({ k: "not", e })), weight: 1 },
    { arbitrary: fc.record({ k: fc.constantFrom("and" as const, "or" as const), l: sub, r: sub }), weight: 2 },
  );
});

// ---- printing ------------------------------------------------------------------------------------

export function printNum(e: NumExpr, p: Printer): string {
  switch (e.k) {
    case "lit":
      return e.v < 0 ? `(${e.v})` : String(e.v);
    case "var":
      return p.pick("num", e.pick)?.name ?? "event.n";
    case "event":
      return `event.${e.field}`;
    case "len":
      switch (e.of) {
        case "trail":
          return "trail.length";
        case "items":
          return "event.items.length";
        case "tags":
          return "state.tags.length";
        case "arr":
          return `${p.pick("arr", e.pick)?.name ?? "trail"}.length`;
      }
      break;
    case "count":
      return "state.count";
    case "objA": {
      const obj = p.pick("obj", e.pick);
      return obj ? `${obj.name}.a` : "state.count";
    }
    case "bin":
      return `(${printNum(e.l, p)} ${e.op} ${printNum(e.r, p)})`;
    case "mul":
      return `(${printNum(e.l, p)} * ${e.by})`;
    case "mod":
      return `(${printNum(e.l, p)} % ${e.m})`;
    case "cond":
      return `(${printBool(e.c, p)} ? ${printNum(e.a, p)} : ${printNum(e.b, p)})`;
    case "attempt":
      if (!p.inStep) return "1";
      p.usedStepCtx = true;
      return "stepCtx.attempt";
  }
}

export function printStr(e: StrExpr, p: Printer): string {
  switch (e.k) {
    case "lit":
      return JSON.stringify(e.v);
    case "var":
      return p.pick("str", e.pick)?.name ?? "event.mode";
    case "mode":
      return "event.mode";
    case "last":
      return "state.last";
    case "objB": {
      const obj = p.pick("obj", e.pick);
      return obj ? `${obj.name}.b` : "state.last";
    }
    case "tmpl":
      return "`" + e.head + e.spans.map((s) => "${" + ("num" in s.e ? printNum(s.e.num, p) : printStr(s.e.str, p)) + "}" + s.tail).join("") + "`";
    case "concat":
      return `(${printStr(e.l, p)} + ${printStr(e.r, p)})`;
  }
}

export function printBool(e: BoolExpr, p: Printer): string {
  switch (e.k) {
    case "cmp": {
      let [l, r] = [printNum(e.l, p), printNum(e.r, p)];
      if (e.op === "===" || e.op === "!==") {
        // TypeScript narrows a reference compared with a literal, and then rejects a later
        // comparison with another literal (TS2367): the literal side is widened with `as`.
        if (literalTyped(e.r, p)) r = `(${r} as number)`;
        else if (literalTyped(e.l, p)) l = `(${l} as number)`;
      }
      return `${l} ${e.op} ${r}`;
    }
    case "flag":
      return "event.flag";
    case "streq":
      return `${printStr(e.l, p)} ${e.neg ? "!==" : "==="} (${JSON.stringify(e.v)} as string)`;
    case "not":
      return `!(${printBool(e.e, p)})`;
    case "and":
      return `(${printBool(e.l, p)} && ${printBool(e.r, p)})`;
    case "or":
      return `(${printBool(e.l, p)} || ${printBool(e.r, p)})`;
    case "includes":
      return `trail.includes(${JSON.stringify(e.v)})`;
  }
}

/** Expressions whose TypeScript type is a literal (or a union of literals). */
function literalTyped(e: NumExpr, p: Printer): boolean {
  switch (e.k) {
    case "lit":
      return true;
    case "attempt":
      return !p.inStep;
    case "cond":
      return literalTyped(e.a, p) && literalTyped(e.b, p);
    default:
      return false;
  }
}
