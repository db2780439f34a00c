import type { Node } from "ts-morph";
import type { Local } from "../analyze/locals.ts";
import { renderCode } from "../analyze/render.ts";
import { withoutTypeWrappers } from "../parse/const-declarations.ts";
import type { Block, ValueExpr } from "./cfg.ts";
import type { Awaited, Lowering } from "./context.ts";
import { inlineHelper } from "./inline.ts";

/**
 * `await tools[name](context, ...)` with a key only the run knows (parse/function-tables.ts): a
 * switch over the table's own keys, each case the inlined function, as JavaScript would reach
 * it (the key as a property name: `String(key)`); any other key finds no function of the table,
 * and the call throws the TypeError JavaScript throws for calling `undefined`.
 */
export function lowerTableCall(lo: Lowering, awaited: Extract<Awaited, { kind: "table" }>, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
  const { call, table } = awaited;
  const key = renderCode(table.key, lo.locals);
  const discriminant: ValueExpr = { node: table.key, piece: lo.synthetic(`String(${key.text})`, [...key.reads]), opaque: true };
  const exit = lo.newBlock(at);
  const targets: Block[] = table.entries.map((e) => lo.newBlock(e.name));
  const cases: ValueExpr[] = table.entries.map((e) => ({ node: table.key, piece: lo.synthetic(JSON.stringify(e.key)), opaque: true, jsonata: JSON.stringify(e.key) }));
  const otherwise = lo.newBlock(call);
  lo.cur.term = { kind: "switch", discriminant, cases, targets, otherwise };
  table.entries.forEach((entry, i) => {
    lo.startAt(targets[i]!);
    inlineHelper(lo, call, entry.fn, target, at, declareAs);
    lo.goto(exit);
  });
  lo.startAt(otherwise);
  // V8 names the callee as the JavaScript the handler runs spells it: without TypeScript's wrappers.
  const callee = `${table.table.getText()}[${withoutTypeWrappers(table.key).getText()}]`;
  lo.cur.code.push(lo.synthetic(`throw new TypeError(${JSON.stringify(`${callee} is not a function`)});`));
  lo.goto(exit);
  lo.startAt(exit);
}
