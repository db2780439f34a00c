import fc from "fast-check";
import type { Stmt } from "./ast.ts";
import { numExpr, strExpr } from "./expressions.ts";
import type { Printer } from "./printer.ts";

/**
 * Locals carried across durable operations: `let`/`const` numbers and strings, object and array
 * locals mutated in place, destructuring, and in-place changes of the handler's `trail` array and
 * `state` object (declared by every program). Every declaration is typed, so TypeScript never
 * narrows a local to a literal type.
 */

type S<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

export const localStatement: fc.Arbitrary<Stmt> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant("declNum" as const), init: numExpr(2), mutable: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant("declStr" as const), init: strExpr(1), mutable: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("declObj" as const), a: numExpr(1), b: strExpr(1) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant("declArr" as const), items: fc.array(numExpr(1), { maxLength: 3 }) }), weight: 1 },
  {
    arbitrary: fc.record({ k: fc.constant("destructure" as const), from: fc.constantFrom("object" as const, "tuple" as const), pick: fc.nat(3), a: numExpr(1), b: numExpr(1) }),
    weight: 1,
  },
  { arbitrary: fc.record({ k: fc.constant("assignNum" as const), pick: fc.nat(7), op: fc.constantFrom("=" as const, "+=" as const, "-=" as const), e: numExpr(2) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant("assignStr" as const), pick: fc.nat(7), e: strExpr(1) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant("push" as const), e: strExpr(2) }), weight: 4 },
  {
    arbitrary: fc.record({
      k: fc.constant("mutate" as const),
      what: fc.constantFrom("count" as const, "last" as const, "tag" as const, "objA" as const, "objB" as const, "arrPush" as const),
      pick: fc.nat(3),
      num: numExpr(1),
      str: strExpr(1),
    }),
    weight: 3,
  },
);

export function printDeclNum(s: S<"declNum">, p: Printer): boolean {
  return declareScalar(p, s.mutable, "num", p.num(s.init));
}

export function printDeclStr(s: S<"declStr">, p: Printer): boolean {
  return declareScalar(p, s.mutable, "str", p.str(s.init));
}

function declareScalar(p: Printer, mutable: boolean, type: "num" | "str", init: string): boolean {
  const name = p.fresh(type === "num" ? "v" : "t");
  p.line(`${mutable ? "let" : "const"} ${name}: ${type === "num" ? "number" : "string"} = ${init};`);
  p.declare(name, type, mutable);
  p.feature(mutable ? "let" : "const");
  return false;
}

export function printDeclObj(s: S<"declObj">, p: Printer): boolean {
  const name = p.fresh("o");
  p.line(`const ${name}: { a: number; b: string } = { a: ${p.num(s.a)}, b: ${p.str(s.b)} };`);
  p.declare(name, "obj", false);
  p.feature("object-local");
  return false;
}

export function printDeclArr(s: S<"declArr">, p: Printer): boolean {
  const name = p.fresh("arr");
  p.line(`const ${name}: number[] = [${s.items.map((e) => p.num(e)).join(", ")}];`);
  p.declare(name, "arr", false);
  p.feature("array-local");
  return false;
}

export function printDestructure(s: S<"destructure">, p: Printer): boolean {
  const [x, y] = [p.fresh("v"), p.fresh(s.from === "object" ? "t" : "v")];
  const obj = p.pick("obj", s.pick);
  if (s.from === "object" && obj) {
    p.line(`const { a: ${x}, b: ${y} } = ${obj.name};`);
    p.declare(x, "num", false);
    p.declare(y, "str", false);
    p.feature("destructuring");
    return false;
  }
  const tuple = [p.num(s.a), p.num(s.b)];
  p.line(`let [${x}, ${y}] = [${tuple.join(", ")}];`);
  p.declare(x, "num", true);
  p.declare(y, "num", true);
  p.feature("destructuring");
  return false;
}

export function printAssignNum(s: S<"assignNum">, p: Printer): boolean {
  const target = p.pick("num", s.pick, true);
  if (!target) return printPushText(`"no-local"`, p);
  p.line(`${target.name} ${s.op} ${p.num(s.e)};`);
  return false;
}

export function printAssignStr(s: S<"assignStr">, p: Printer): boolean {
  const target = p.pick("str", s.pick, true);
  if (!target) return printPushText(p.str(s.e), p);
  p.line(`${target.name} = ${p.str(s.e)};`);
  return false;
}

export function printPush(s: S<"push">, p: Printer): boolean {
  return printPushText(p.str(s.e), p);
}

function printPushText(text: string, p: Printer): boolean {
  p.line(`trail.push(${text});`);
  return false;
}

export function printMutate(s: S<"mutate">, p: Printer): boolean {
  p.feature("mutation");
  switch (s.what) {
    case "count":
      p.line(`state.count += ${p.num(s.num)};`);
      return false;
    case "last":
      p.line(`state.last = ${p.str(s.str)};`);
      return false;
    case "tag":
      p.line(`state.tags.push(${p.str(s.str)});`);
      return false;
    case "objA":
    case "objB": {
      const obj = p.pick("obj", s.pick);
      if (!obj) p.line(`state.count -= ${p.num(s.num)};`);
      else if (s.what === "objA") p.line(`${obj.name}.a = ${p.num(s.num)};`);
      else p.line(`${obj.name}.b += ${p.str(s.str)};`);
      return false;
    }
    case "arrPush": {
      const arr = p.pick("arr", s.pick);
      p.line(arr ? `${arr.name}.push(${p.num(s.num)});` : `state.tags.push(${p.str(s.str)});`);
      return false;
    }
  }
}
