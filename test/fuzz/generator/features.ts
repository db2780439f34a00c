/**
 * Optional grammar features, off by default so that the default grammar generates the same
 * programs for the same seed as before they existed. Each one produces a construct that issue 12
 * (values across durable boundaries) or issue 13 (inputs and names) found diverging; a feature is
 * named alone or through its group: `npm run fuzz -- --features values,inputs`.
 */

export const VALUE_FEATURES = [
  "class-instance",
  "nested-builtins",
  "closure",
  "alias",
  "getter",
  "special-numbers",
  "undefined-values",
  "error-class",
  "throw-value",
  "mutating-step",
] as const;

export const INPUT_FEATURES = [
  "ill-typed-input",
  "input-conditions",
  "adversarial-names",
  "adversarial-keys",
  "context-helpers",
  "fractional-wait",
] as const;

/** Code between operations that issue 15 lowers to JSONata. */
export const LOWERING_FEATURES = ["array-methods"] as const;

/** Promise and callback shapes of issue 14 (shapes.ts). */
export const SHAPE_FEATURES = ["create-callback", "promise-combinators", "combined-callbacks", "tool-tables"] as const;

export type Feature = (typeof VALUE_FEATURES)[number] | (typeof INPUT_FEATURES)[number] | (typeof LOWERING_FEATURES)[number] | (typeof SHAPE_FEATURES)[number];

export const FEATURE_GROUPS: Record<string, readonly Feature[]> = {
  values: VALUE_FEATURES,
  inputs: INPUT_FEATURES,
  lowering: LOWERING_FEATURES,
  shapes: SHAPE_FEATURES,
  all: [...VALUE_FEATURES, ...INPUT_FEATURES, ...LOWERING_FEATURES, ...SHAPE_FEATURES],
};

const ALL = new Set<string>(FEATURE_GROUPS.all);

/** Expands group names; throws an Error naming the first unknown name. */
export function resolveFeatures(names: readonly string[]): Set<Feature> {
  const out = new Set<Feature>();
  for (const name of names) {
    const group = FEATURE_GROUPS[name];
    if (group) group.forEach((f) => out.add(f));
    else if (ALL.has(name)) out.add(name as Feature);
    else throw new Error(`unknown feature "${name}" (known: ${Object.keys(FEATURE_GROUPS).join(", ")}, ${[...ALL].join(", ")})`);
  }
  return out;
}
