import { parse, stringify } from "devalue";
import { CODE_FAILURE_MARKER } from "../../protocol/index.ts";
import { isMember, remake, shapeRecord, shapeTools } from "./shapes.ts";

/**
 * The JavaScript values a handler holds, turned into something devalue can write and back.
 *
 * devalue keeps what JSON loses (undefined, NaN, -0, BigInt, Date, RegExp, Map, Set, typed arrays,
 * holes, repeated references and cycles), but its custom types cannot take part in a cycle and it
 * refuses class instances. So the value is first copied into a "shadow" made only of what devalue
 * handles natively, one shadow object per original object (sharing and cycles carry over), where
 * class instances and errors become tagged null-prototype objects. A user's own null-prototype
 * object is tagged too, so every null-prototype object in a shadow is a tag. An object literal of
 * the handler with methods or getters (shapes.ts) is tagged with its site, its data and what its
 * members capture, and comes back with its members made again.
 * Rebuilding creates each object before filling it, so cycles through instances come back too.
 */

/** Classes whose instances can be carried, found on the prototype chain of a value: key → class. */
export type KnownClasses = Map<string, Function>;

/** Raised at encode time for a value no carrying can keep: the local, the path inside it, and what it is. */
export class CarryError extends Error {
  constructor(path: string, what: string) {
    super(`durable2sfn: cannot carry ${path} (${what}) across a durable operation`);
    this.name = "CarryError";
    // A failure of the run, not an answer's: marked as code failures are (protocol/markers.ts).
    this.stack = `${this.name}: ${this.message}\n    ${CODE_FAILURE_MARKER}\n${(this.stack ?? "").split("\n").slice(1).join("\n")}`;
  }
}

/** Tags of the shadow (keys of a null-prototype object). */
interface Tag {
  /** a user object with no prototype: its properties */
  n?: Record<string, unknown>;
  /** an instance (class or error): the key of its nearest known class */
  c?: string;
  /** the instance's own properties */
  p?: Record<string, unknown>;
  /** of those, the non-enumerable ones (an error's message, stack, cause) */
  h?: string[];
  /** a Node Buffer's bytes */
  b?: Uint8Array;
  /** a shape (shapes.ts): its site; `k` its own keys in order, `p` the data ones, `e` the locals its members capture */
  s?: string;
  k?: string[];
  e?: unknown;
}

const tag = (fields: Tag): Tag => Object.assign(Object.create(null) as Tag, fields);

/** Objects devalue writes and reads itself, keeping their identity. */
const NATIVE = [Date.prototype, RegExp.prototype, URL.prototype, URLSearchParams.prototype, ArrayBuffer.prototype, DataView.prototype, Number.prototype, String.prototype, Boolean.prototype];
const NEVER: [Function | undefined, string][] = [
  [globalThis.WeakMap, "a WeakMap"],
  [globalThis.WeakSet, "a WeakSet"],
  [globalThis.WeakRef, "a WeakRef"],
  [globalThis.FinalizationRegistry, "a FinalizationRegistry"],
  [globalThis.Promise, "a Promise"],
];
const TYPED_ARRAY = Object.getPrototypeOf(Uint8Array.prototype);

/** The state of encoding one set of locals: the shadow of each object seen, and which local reached it first. */
export class ShadowWalk {
  private readonly seen = new Map<object, { shadow: unknown; owner: number }>();
  /** Per local: it holds something JSON does not keep, or one object twice. */
  readonly special: boolean[] = [];
  /** Per local: the locals it shares an object with (union-find parents). */
  readonly parent: number[] = [];

  constructor(private readonly classes: KnownClasses) {}

  /** The shadow of local number `owner`, whose name is `name`. */
  local(owner: number, name: string, value: unknown): unknown {
    this.special[owner] = false;
    this.parent[owner] = owner;
    return this.shadow(value, name, owner);
  }

  /** Whether this value alone holds something JSON does not keep (or one object twice). */
  isSpecial(name: string, value: unknown): boolean {
    this.local(0, name, value);
    return this.special[0]!;
  }

  root(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]!]!;
    return i;
  }

  private shadow(v: unknown, path: string, owner: number): unknown {
    switch (typeof v) {
      case "undefined":
      case "bigint":
        this.special[owner] = true;
        return v;
      case "number":
        if (!Number.isFinite(v) || Object.is(v, -0)) this.special[owner] = true;
        return v;
      case "symbol":
        throw new CarryError(path, "a symbol");
      case "function":
        throw new CarryError(path, `a function${v.name ? ` (${v.name})` : ""}`);
      case "object":
        if (v === null) return v;
        return this.object(v, path, owner);
      default:
        return v;
    }
  }

  private object(v: object, path: string, owner: number): unknown {
    const hit = this.seen.get(v);
    if (hit) {
      this.special[owner] = true;
      this.special[hit.owner] = true;
      this.parent[this.root(owner)] = this.root(hit.owner);
      return hit.shadow;
    }
    const keep = <T>(shadow: T): T => {
      this.seen.set(v, { shadow, owner });
      return shadow;
    };
    const proto = Object.getPrototypeOf(v);
    if (Array.isArray(v) && proto === Array.prototype) {
      const out = keep(new Array(v.length));
      for (let i = 0; i < v.length; i++) {
        if (i in v) out[i] = this.shadow(v[i], `${path}[${i}]`, owner);
        else this.special[owner] = true; // a hole
      }
      return out;
    }
    const shape = proto === Object.prototype ? shapeRecord(v) : undefined;
    if (shape) return this.shape(v, shape, keep(tag({ s: shape.site, k: [], p: {} })), path, owner);
    if (proto === Object.prototype) return this.properties(v, keep({}), path, owner);
    this.special[owner] = true;
    if (proto === null) {
      const t = keep(tag({ n: {} }));
      this.properties(v, t.n!, path, owner);
      return t;
    }
    if (proto === Map.prototype) {
      const out = keep(new Map());
      for (const [k, val] of v as Map<unknown, unknown>) out.set(this.shadow(k, `${path}.keys()`, owner), this.shadow(val, `${path}.get(${label(k)})`, owner));
      return out;
    }
    if (proto === Set.prototype) {
      const out = keep(new Set());
      for (const item of v as Set<unknown>) out.add(this.shadow(item, `${path}.values()`, owner));
      return out;
    }
    if (typeof Buffer !== "undefined" && Buffer.isBuffer(v)) return keep(tag({ b: new Uint8Array(v) }));
    if (NATIVE.includes(proto) || Object.getPrototypeOf(proto) === TYPED_ARRAY) return keep(v);
    for (const [Class, what] of NEVER) if (Class && v instanceof Class) throw new CarryError(path, what);
    if (typeof (v as { then?: unknown }).then === "function") throw new CarryError(path, "a Promise or thenable");
    const key = this.nearestClass(proto);
    if (!key) throw new CarryError(path, `an instance of class ${proto?.constructor?.name || "?"}, not a class declared or imported at the top level of the module`);
    const t = keep(tag({ c: key, p: {}, h: [] }));
    for (const name of Object.getOwnPropertyNames(v)) {
      const d = Object.getOwnPropertyDescriptor(v, name)!;
      if (!("value" in d)) throw new CarryError(`${path}.${name}`, "an own getter or setter");
      if (!d.enumerable) t.h!.push(name);
      t.p![name] = this.shadow(d.value, `${path}.${name}`, owner);
    }
    // An error of a class we do not know comes back as its nearest known class (at least Error): keep its name.
    const Class = this.classes.get(key)!;
    if (v instanceof Error && !("name" in t.p!) && v.name !== Class.prototype.name) {
      t.p!.name = v.name;
      t.h!.push("name");
    }
    return t;
  }

  /** A shape: its members by name only (they are made again), its data properties and captured locals as values. */
  private shape(v: object, record: NonNullable<ReturnType<typeof shapeRecord>>, t: Tag, path: string, owner: number): Tag {
    this.special[owner] = true;
    const data: Record<string, unknown> = {};
    const members = new Set<string>();
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      if (typeof key === "string" && isMember(record, key, d)) members.add(key);
      else Object.defineProperty(data, key, d);
    }
    this.properties(data, t.p!, path, owner);
    t.k = Object.keys(v).filter((key) => members.has(key) || Object.hasOwn(t.p!, key));
    t.e = this.shadow(record.env(), `${path} (what its methods capture)`, owner);
    return t;
  }

  private properties(v: object, out: Record<string, unknown>, path: string, owner: number): Record<string, unknown> {
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === "symbol") throw new CarryError(path, `a property keyed by ${String(key)}`);
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!("value" in d)) throw new CarryError(at, "a getter or setter");
      if (!d.enumerable) continue; // as JSON and devalue: not part of the value
      if (key === "__proto__") throw new CarryError(at, "a property named __proto__");
      out[key] = this.shadow(d.value, at, owner);
    }
    return out;
  }

  private nearestClass(proto: object | null): string | undefined {
    for (let p = proto; p !== null; p = Object.getPrototypeOf(p)) {
      for (const [key, Class] of this.classes) if (Class.prototype === p) return key;
    }
    return undefined;
  }
}

function label(key: unknown): string {
  return typeof key === "string" ? JSON.stringify(key) : typeof key === "object" && key !== null ? "…" : String(key);
}

/** devalue's text of the shadows of one group of locals. */
export const writeGroup = (shadows: unknown[]): string => stringify(shadows);

/** The values of a group, rebuilt from devalue's text: one object per shadow object, instances with their class. */
export function readGroup(text: string, classes: KnownClasses): unknown[] {
  const built = new Map<object, unknown>();
  const rebuild = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    const done = built.get(v);
    if (done !== undefined) return done;
    const keep = <T>(out: T): T => {
      built.set(v, out);
      return out;
    };
    if (Array.isArray(v)) {
      const out = keep(new Array(v.length));
      for (let i = 0; i < v.length; i++) if (i in v) out[i] = rebuild(v[i]);
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype) {
      const out: Record<string, unknown> = keep({});
      for (const [k, val] of Object.entries(v)) out[k] = rebuild(val);
      return out;
    }
    if (v instanceof Map) {
      const out = keep(new Map());
      for (const [k, val] of v) out.set(rebuild(k), rebuild(val));
      return out;
    }
    if (v instanceof Set) {
      const out = keep(new Set());
      for (const item of v) out.add(rebuild(item));
      return out;
    }
    if (proto !== null) return v; // Date, RegExp, typed arrays...: devalue built them
    const t = v as Tag;
    if (t.s !== undefined) {
      const out: Record<string, unknown> = keep({});
      const env = rebuild(t.e) as Record<string, unknown>;
      const template = remake(classes, t.s, env);
      for (const key of t.k!) {
        if (Object.hasOwn(t.p!, key)) out[key] = rebuild(t.p![key]);
        else Object.defineProperty(out, key, Object.getOwnPropertyDescriptor(template, key)!);
      }
      return shapeTools(classes).shaped(t.s, out, () => env);
    }
    if (t.b) return keep(Buffer.from(t.b.buffer, t.b.byteOffset, t.b.byteLength));
    if (t.n) {
      const out: Record<string, unknown> = keep(Object.create(null));
      for (const [k, val] of Object.entries(t.n)) out[k] = rebuild(val);
      return out;
    }
    const Class = classes.get(t.c!);
    if (!Class) throw new Error(`durable2sfn: cannot rebuild an instance of ${t.c}: this bundle has no such class`);
    // An error is built by Error itself (a real error object, as `Error.isError` and the inspector see it) with the class's prototype; no constructor of the user runs.
    const out = keep(Class.prototype instanceof Error || Class === Error ? Reflect.construct(Error, [], Class) : Object.create(Class.prototype));
    if (out instanceof Error) delete (out as { stack?: string }).stack;
    for (const [k, val] of Object.entries(t.p!)) {
      Object.defineProperty(out, k, { value: rebuild(val), writable: true, configurable: true, enumerable: !t.h!.includes(k) });
    }
    return out;
  };
  return (parse(text) as unknown[]).map(rebuild);
}
