import * as sdk from "@aws/durable-execution-sdk-js";
import { describe, expect, it } from "vitest";
import { CarryError } from "../../runtime/fragments/carry.ts";
import { SHAPE_KEY, shapeTools, type ShapeMaker } from "../../runtime/fragments/shapes.ts";
import { decodeVars, encodeVars, knownClasses } from "../../runtime/fragments/values.ts";

/**
 * Object literals with methods and getters across a durable operation (runtime/fragments/shapes.ts):
 * the makers here are what compiler/analyze/shapes.ts writes for the literal at the top of each test.
 */
const makers: Record<string, ShapeMaker> = {
  // { items, get count() { return this.items.length }, set first(v) { this.items[0] = v }, tag }
  basket: () => ({
    get count(): number {
      return (this as unknown as { items: number[] }).items.length;
    },
    set first(v: number) {
      (this as unknown as { items: number[] }).items[0] = v;
    },
  }),
  // { n, scaled(x) { return x * this.n * factor } }, capturing the const local `factor`
  scaler: (_tools, env) => ({
    scaled(this: { n: number }, x: number): number {
      return x * this.n * (env.factor as number);
    },
  }),
};
const known = knownClasses({}, sdk);
for (const [site, make] of Object.entries(makers)) known.set(SHAPE_KEY + site, make);
const { shaped } = shapeTools(known);

function carry(vars: Record<string, unknown>): Record<string, unknown> {
  const wire = JSON.parse(JSON.stringify(encodeVars(vars, known)));
  return decodeVars(wire, sdk as never, known);
}

function basket(items: number[]) {
  return shaped("basket", { items, get count(): number { return this.items.length; }, set first(v: number) { this.items[0] = v; }, tag: "b" }, () => ({}));
}

describe("object literals with methods across a durable operation", () => {
  it("keeps getters and setters as accessors, data and key order as they were", () => {
    const b = basket([1]);
    b.items.push(2);
    const { b: back } = carry({ b }) as { b: typeof b };
    expect(Object.keys(back)).toEqual(["items", "count", "first", "tag"]);
    expect(typeof Object.getOwnPropertyDescriptor(back, "count")!.get).toBe("function");
    expect(back.count).toBe(2);
    back.first = 9;
    back.items.push(3);
    expect([back.items, back.count, JSON.stringify(back)]).toEqual([[9, 2, 3], 3, '{"items":[9,2,3],"count":3,"tag":"b"}']);
  });

  it("carries what the members capture, shares objects with other locals, and can cross again", () => {
    const items = [4];
    const env = { factor: 10 };
    const s = shaped("scaler", { n: 2, scaled(x: number): number { return x * this.n * env.factor; } }, () => env);
    const b = basket(items);
    const once = carry({ s, b, items, list: [b, b] }) as { s: typeof s; b: typeof b; items: number[]; list: (typeof b)[] };
    expect(once.s.scaled(3)).toBe(60);
    expect(once.list[0]).toBe(once.b);
    expect(once.b.items).toBe(once.items);
    once.s.n = 5;
    const twice = carry({ s: once.s }) as { s: typeof s };
    expect(twice.s.scaled(1)).toBe(50);
  });

  it("refuses a member replaced by another function, and leaves out a deleted one", () => {
    const b = basket([1]) as Record<string, unknown>;
    delete b.count;
    expect(Object.keys((carry({ b }) as { b: object }).b)).toEqual(["items", "first", "tag"]);
    const s = shaped("scaler", { n: 2, scaled(x: number): number { return x * this.n; } }, () => ({ factor: 1 }));
    s.scaled = () => 1;
    expect(() => carry({ s })).toThrow(CarryError);
    expect(() => carry({ s })).toThrow(/cannot carry s\.scaled \(a function/);
  });

  it("leaves an object of a site with no maker (one the compiler refused) untagged: a function cannot be carried", () => {
    const o = shaped("refused", { f() { return 1; } }, () => ({}));
    expect(() => carry({ o })).toThrow(/cannot carry o\.f \(a function/);
  });
});
