/**
 * Whether two values are the same object graph: equal primitives (NaN, -0 told apart), the same
 * prototypes, the same own properties (and which are enumerable), the same Map/Set entries in
 * order, and the same sharing: an object reached twice in one is one object reached twice in the
 * other. Returns the first difference as a path, or undefined.
 */
export function graphDifference(a: unknown, b: unknown, path = "value", seen = new Map<object, unknown>()): string | undefined {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  }
  if (seen.has(a)) return seen.get(a) === b ? undefined : `${path}: sharing differs`;
  seen.set(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototype differs`;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime()) ? undefined : `${path}: date differs`;
  if (a instanceof RegExp) return String(a) === String(b) ? undefined : `${path}: regexp differs`;
  if (ArrayBuffer.isView(a)) return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from((b as ArrayBufferView).buffer, (b as ArrayBufferView).byteOffset, (b as ArrayBufferView).byteLength)) ? undefined : `${path}: bytes differ`;
  if (a instanceof Map || a instanceof Set) {
    const ea = [...(a as Map<unknown, unknown>).entries()];
    const eb = [...(b as Map<unknown, unknown>).entries()];
    if (ea.length !== eb.length) return `${path}: size differs`;
    for (let i = 0; i < ea.length; i++) {
      const d = graphDifference(ea[i]![0], eb[i]![0], `${path}.key${i}`, seen) ?? graphDifference(ea[i]![1], eb[i]![1], `${path}.entry${i}`, seen);
      if (d) return d;
    }
    return undefined;
  }
  const ka = Reflect.ownKeys(a).filter((k) => !(a instanceof Error && k === "stack"));
  const kb = Reflect.ownKeys(b).filter((k) => !(b instanceof Error && k === "stack"));
  if (JSON.stringify(ka.map(String).sort()) !== JSON.stringify(kb.map(String).sort())) return `${path}: keys ${ka.map(String)} vs ${kb.map(String)}`;
  for (const k of ka) {
    const da = Object.getOwnPropertyDescriptor(a, k)!;
    const db = Object.getOwnPropertyDescriptor(b, k)!;
    if (da.enumerable !== db.enumerable) return `${path}.${String(k)}: enumerability differs`;
    const d = graphDifference(da.value, db.value, `${path}.${String(k)}`, seen);
    if (d) return d;
  }
  return undefined;
}
