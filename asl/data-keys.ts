/**
 * Fields whose value is the machine's data (templates, variable names, literal results), not its
 * structure: Step Functions never reads a key inside them as a state or a transition.
 */
const DATA_FIELDS = new Set(["Assign", "Output", "Arguments", "Items", "ItemSelector", "Result", "Parameters", "ResultSelector"]);
/** Keys asl-validator looks up at any depth of the definition (`$..States`, `$..[StartAt,Next,Default]`, ...). */
const STRUCTURAL_KEYS = new Set(["States", "StartAt", "Next", "Default", "Branches", "Iterator", "ItemProcessor", "Type"]);

/**
 * asl-validator selects `$..States` (and `Next`, `StartAt`, ...) anywhere, so a key of that name
 * in data (a local called `States` in an `Assign`, a returned `{ Next: 1 }` in an `Output`) made it
 * read the data as states, or crash. In its copy of the definition (changed in place), such keys
 * get a free name (`States_1`); values stay, so their JSONata syntax is still checked. Returns the
 * translation of a JSON pointer into the copy back to the original key names, for messages.
 */
export function hideStructuralDataKeys(copy: unknown): (pointer: string) => string {
  const renamed = new Map<string, string>();
  const walk = (value: unknown, at: string, original: string, inData: boolean): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, `${at}/${i}`, `${original}/${i}`, inData));
    if (value === null || typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      let free = key;
      if (inData && STRUCTURAL_KEYS.has(key)) {
        for (let n = 1; free in object; n++) free = `${key}_${n}`;
        object[free] = object[key];
        delete object[key];
        renamed.set(`${at}/${pointerSegment(free)}`, `${original}/${pointerSegment(key)}`);
      }
      walk(object[free], `${at}/${pointerSegment(free)}`, `${original}/${pointerSegment(key)}`, inData || DATA_FIELDS.has(key));
    }
  };
  walk(copy, "", "", false);
  return (pointer) => {
    for (let end = pointer.length; end > 0; end = pointer.lastIndexOf("/", end - 1)) {
      const original = renamed.get(pointer.slice(0, end));
      if (original !== undefined) return original + pointer.slice(end);
    }
    return pointer;
  };
}

function pointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
