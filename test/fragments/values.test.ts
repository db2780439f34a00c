import * as sdk from "@aws/durable-execution-sdk-js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VALUE_MARKER_KEY } from "../../protocol/index.ts";
import { CarryError } from "../../runtime/fragments/carry.ts";
import { decodeVars, encodeVars, knownClasses } from "../../runtime/fragments/values.ts";
import { graphDifference } from "./graph-equal.ts";

/** Locals written by one fragment, as the next fragment gets them: through the JSON of an ASL Variable. */
function carry(vars: Record<string, unknown>, classes: Record<string, Function> = {}): Record<string, unknown> {
  const known = knownClasses(classes, sdk);
  const wire = JSON.parse(JSON.stringify(encodeVars(vars, known)));
  return decodeVars(wire, sdk as never, known);
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  get length(): number {
    return Math.hypot(this.x, this.y);
  }
  moved(dx: number): Point {
    return new Point(this.x + dx, this.y);
  }
}

class MigrationError extends Error {
  code = "E_MIGRATE";
  constructor(
    message: string,
    readonly table: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

describe("locals across a durable operation", () => {
  it("keeps plain JSON locals as they are, readable by JSONata", () => {
    const vars = { n: 1.5, s: "x", b: true, z: null, list: [1, { a: [2] }], obj: { k: "v" } };
    const encoded = encodeVars(vars, knownClasses({}, sdk));
    expect(encoded).toEqual(vars);
    expect(JSON.stringify(encoded)).not.toContain(VALUE_MARKER_KEY);
  });

  it("keeps NaN, Infinity, -0, undefined keys and elements, holes, BigInt", () => {
    // eslint-disable-next-line no-sparse-arrays
    const vars = { mean: NaN, big: Infinity, neg: -0, patch: { email: "a@b", phone: undefined }, list: [1, undefined, , 3], id: 2n ** 70n };
    const back = carry(vars);
    expect(Number.isNaN(back.mean)).toBe(true);
    expect(back.big).toBe(Infinity);
    expect(Object.is(back.neg, -0)).toBe(true);
    expect(Object.keys(back.patch as object)).toEqual(["email", "phone"]);
    expect(graphDifference(vars, back)).toBeUndefined();
    expect(1 in (back.list as unknown[])).toBe(true);
    expect(2 in (back.list as unknown[])).toBe(false);
    expect(back.id).toBe(2n ** 70n);
  });

  it("keeps nested Date, Set, Map, RegExp, Uint8Array and Buffer", () => {
    const vars = { w: { at: new Date(86_400_000), tags: new Set(["a"]), byId: new Map([[1, { ok: true }]]), re: /a+/gi, bytes: new Uint8Array([1, 2]), buf: Buffer.from("hi") } };
    const back = carry(vars) as typeof vars & { w: typeof vars.w };
    expect(back.w.at.getTime()).toBe(86_400_000);
    expect(back.w.tags.has("a")).toBe(true);
    expect(back.w.byId.get(1)).toEqual({ ok: true });
    expect(back.w.re.test("AA")).toBe(true);
    expect(Buffer.isBuffer(back.w.buf) && back.w.buf.toString()).toBe("hi");
    expect(graphDifference(vars, back)).toBeUndefined();
  });

  it("keeps one object one object across locals written together, and cycles", () => {
    const list = [{ ok: false }, { ok: false }];
    const first = list[0]!;
    const node: { name: string; self?: unknown } = { name: "n" };
    node.self = node;
    const back = carry({ list, first, node, plain: { k: 1 } });
    (back.first as { ok: boolean }).ok = true;
    expect((back.list as { ok: boolean }[])[0]!.ok).toBe(true);
    expect((back.node as { self: unknown }).self).toBe(back.node);
    expect(back.plain).toEqual({ k: 1 });
  });

  it("keeps a local the machine's JSONata reads plain when it is plain by itself, though it shares objects", () => {
    const batches = [{ key: "a" }, { key: "b" }];
    const encoded = encodeVars({ items: batches, manifest: { batches }, at: { when: new Date(0), batches } }, knownClasses({}, sdk), new Set(["items"]));
    expect(encoded.items).toEqual(batches);
    expect(JSON.stringify(encoded.manifest)).toContain(VALUE_MARKER_KEY);
    const back = decodeVars(JSON.parse(JSON.stringify(encoded)), sdk as never, knownClasses({}, sdk));
    expect((back.manifest as { batches: unknown }).batches).toBe((back.at as { batches: unknown }).batches);
  });

  it("restores instances of the module's classes: methods, getters, instanceof, own fields, inside arrays", () => {
    const p = new Point(3, 4);
    const back = carry({ shapes: [p, p.moved(1)], single: p }, { Point });
    const shapes = back.shapes as Point[];
    expect(shapes[0]).toBeInstanceOf(Point);
    expect(shapes[0]!.length).toBe(5);
    expect(shapes[1]!.moved(1).x).toBe(5);
    expect(back.single).toBe(shapes[0]);
    expect(Object.keys(shapes[0]!)).toEqual(["x", "y"]);
  });

  it("restores errors of any class with message, stack, cause and own fields", () => {
    const root = new TypeError("root cause");
    const error = new MigrationError("table locked", "orders", { cause: root });
    const step = new sdk.StepError("step failed", new Error("inner"));
    const back = carry({ error, step, plain: new Error("plain") }, { MigrationError });
    const e = back.error as MigrationError;
    expect(e).toBeInstanceOf(MigrationError);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.message, e.code, e.table, e.stack]).toEqual(["MigrationError", "table locked", "E_MIGRATE", "orders", error.stack]);
    expect(e.cause).toBeInstanceOf(TypeError);
    expect((e.cause as Error).message).toBe("root cause");
    expect(back.step).toBeInstanceOf(sdk.StepError);
    expect(JSON.stringify(back.step)).toBe(JSON.stringify(step));
    expect(JSON.stringify(back.error)).toBe(JSON.stringify(error));
    expect(graphDifference({ error, step }, { error: back.error, step: back.step })).toBeUndefined();
  });

  it("keeps the name of an error of a class the module does not know, as an Error", () => {
    class Hidden extends Error {
      override name = "Hidden";
    }
    const back = carry({ e: new Hidden("h") }).e as Error;
    expect([back instanceof Error, back.name, back.message]).toEqual([true, "Hidden", "h"]);
  });

  it.each([
    ["an unregistered class deep inside", () => ({ order: { items: [1, 2, { at: new (class Slot {})() }] } }), "order.items[2].at"],
    ["a function", () => ({ cb: { run: () => 1 } }), "cb.run (a function (run))"],
    ["a WeakMap", () => ({ cache: new WeakMap() }), "cache (a WeakMap)"],
    ["a Promise", () => ({ p: { pending: Promise.resolve(1) } }), "p.pending (a Promise)"],
    ["a getter of an object literal", () => ({ o: { get n() { return 1; } } }), "o.n (a getter or setter)"],
    ["a symbol", () => ({ s: [Symbol("x")] }), "s[0] (a symbol)"],
  ])("refuses %s, naming the local and the path", (_what, vars, path) => {
    expect(() => encodeVars(vars(), knownClasses({}, sdk))).toThrow(CarryError);
    expect(() => encodeVars(vars(), knownClasses({}, sdk))).toThrow(`durable2sfn: cannot carry ${path}`);
    expect(() => encodeVars(vars(), knownClasses({}, sdk))).toThrow("across a durable operation");
  });
});

/** Values of every kind the encoding keeps, with objects shared between and inside locals. */
const leaf = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: false }),
  fc.constantFrom(NaN, -0, Infinity, -Infinity, undefined),
  fc.tuple(fc.integer(), fc.integer()).map(([x, y]) => new Point(x, y)),
  fc.tuple(fc.string(), fc.string()).map(([m, t]) => new MigrationError(m, t, { cause: new RangeError(t) })),
);

describe("property: decode(encode(v)) is the same graph", () => {
  it("for any set of locals, with sharing between them", () => {
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 4 }), (values, links) => {
        const vars: Record<string, unknown> = {};
        values.forEach((v, i) => (vars[`l${i}`] = v));
        // Share some objects: a local holding another's value, or a list of two of them.
        links.forEach((link, i) => (vars[`alias${i}`] = link % 2 ? values[link % values.length] : [values[link % values.length], values[(link + 1) % values.length]]));
        const back = carry(vars, { Point, MigrationError });
        expect(graphDifference(vars, back)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
