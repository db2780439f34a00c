import fc from "fast-check";
import type { Stmt } from "./ast.ts";
import type { Printer } from "./printer.ts";

/**
 * Array methods with inline callbacks, `Math` functions and division over `event.items` (numbers
 * in well-typed scenarios, strings and nested arrays in ill-typed ones), declared as a number or
 * string local that later code reads: the JSONata lowering of issue 15 (transform/jsonata-calls.ts)
 * and its guards' fallback to a fragment.
 */
type S<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

export const ARRAY_FORMS = ["sum", "count", "findIndex", "join", "some", "math", "every", "find"] as const;

export const arrayUse: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("arrayUse" as const),
  form: fc.constantFrom(...ARRAY_FORMS),
  // A literal: a computed number may be NaN on an ill-typed input (a missing `event.n`), and a
  // local of NaN used as a wait's seconds crashes the SDK's runner (no outcome to compare).
  e: fc.integer({ min: -3, max: 9 }),
});

export function printArrayUse(s: S<"arrayUse">, p: Printer): boolean {
  p.feature("array-methods");
  const n = s.e < 0 ? `(${s.e})` : String(s.e);
  const items = "event.items";
  const [init, type] = ((): [string, "num" | "str"] => {
    switch (s.form) {
      case "sum":
        return [`${items}.reduce((sum, x) => sum + x * 2, ${n})`, "num"];
      case "count":
        return [`${items}.filter((x) => x > ${n}).length`, "num"];
      case "findIndex":
        return [`${items}.findIndex((x, i) => x === i + ${n})`, "num"];
      case "join":
        return [`${items}.map((x) => x + ${n}).slice(-2).concat([${n}]).join("-")`, "str"];
      case "some":
        return [`${items}.some((x) => x < ${n}) ? 1 : 0`, "num"];
      case "math":
        return [`Math.max(Math.floor(${n} / 3), Math.round(${n} / 2), Math.ceil(${n} / 4))`, "num"];
      case "every":
        return [`${items}.every((x, i, all) => x <= all.length + ${n}) ? 2 : 3`, "num"];
      case "find":
        return [`${items}.find((x) => x > ${n}) ?? -1`, "num"];
    }
  })();
  const name = p.fresh(type === "num" ? "v" : "t");
  p.line(`const ${name}: ${type === "num" ? "number" : "string"} = ${init};`);
  p.declare(name, type, false);
  return false;
}
