/**
 * Object literals of the handler that have methods, getters or setters ("shapes").
 *
 * No encoding can carry code, but the code of such a literal is known: the compiler re-creates its
 * members from the literal's source in the fragments module (a "maker" per literal, registered
 * under `shape:<site>` among the known classes) and wraps the literal where the handler creates it
 * in `$d.shaped(site, literal, env)`. That records which of the object's properties are the
 * literal's own members, and `env` gives the handler locals the members read (const bindings, so
 * reading them later gives what the members see). carry.ts then writes such an object as its site,
 * its own data properties in order, and `env`; and rebuilds it by making the members again over
 * `env` and putting everything back in the same order, getters as getters.
 */

/** The known classes of carry.ts, where the makers are registered too. */
type KnownClasses = Map<string, Function>;

export const SHAPE_KEY = "shape:";

/** What a maker's members may use of the fragment tools: creating further shapes. */
export interface ShapeTools {
  shaped<T extends object>(site: string, object: T, env: () => Record<string, unknown>): T;
}

/** Makes the members of one literal over the captured locals `env` (compiler/emit/bundle.ts writes them). */
export type ShapeMaker = (tools: ShapeTools, env: Record<string, unknown>) => object;

interface ShapeRecord {
  site: string;
  /** The literal's members as created: a property still holding one of these is the member itself. */
  members: Map<string, PropertyDescriptor>;
  env: () => Record<string, unknown>;
}

const records = new WeakMap<object, ShapeRecord>();
const memberNames = new WeakMap<ShapeMaker, string[]>();

function makerOf(classes: KnownClasses, site: string): ShapeMaker | undefined {
  return classes.get(SHAPE_KEY + site) as ShapeMaker | undefined;
}

/** The tools a fragment (and a maker) uses to tag what it creates; a site with no maker (one the compiler refused) stays untagged. */
export function shapeTools(classes: KnownClasses): ShapeTools {
  const tools: ShapeTools = {
    shaped(site, object, env) {
      const make = makerOf(classes, site);
      if (!make) return object;
      let names = memberNames.get(make);
      if (!names) memberNames.set(make, (names = Object.keys(make(tools, {}))));
      const members = new Map<string, PropertyDescriptor>();
      for (const name of names) {
        const d = Object.getOwnPropertyDescriptor(object, name);
        if (d) members.set(name, d);
      }
      records.set(object, { site, members, env });
      return object;
    },
  };
  return tools;
}

/** The record of a tagged object, if it is one. */
export const shapeRecord = (object: object): ShapeRecord | undefined => records.get(object);

/** Is this own property still the literal's member (not replaced, not redefined)? */
export function isMember(record: ShapeRecord, name: string, d: PropertyDescriptor): boolean {
  const m = record.members.get(name);
  return m !== undefined && m.get === d.get && m.set === d.set && m.value === d.value && m.enumerable === d.enumerable && typeof (m.value ?? m.get ?? m.set) === "function";
}

/** The members of `site` made again over `env`, as a template to copy descriptors from. */
export function remake(classes: KnownClasses, site: string, env: Record<string, unknown>): object {
  const make = makerOf(classes, site);
  if (!make) throw new Error(`durable2sfn: cannot rebuild an object of ${site}: this bundle has no such object literal`);
  return make(shapeTools(classes), env);
}
