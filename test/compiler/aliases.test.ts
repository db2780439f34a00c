import path from "node:path";
import { describe, expect, it } from "vitest";
import { Aliases } from "../../compiler/analyze/aliases.ts";
import { Locals } from "../../compiler/analyze/locals.ts";
import { compileFile } from "../../compiler/index.ts";
import { buildCfg } from "../../compiler/lower/lowering.ts";
import { findHandlers } from "../../compiler/parse/handlers.ts";
import { loadHandlerFile } from "../../compiler/parse/project.ts";
import { handlerLiveness } from "../../compiler/transform/graph-liveness.ts";

/**
 * The alias analysis (compiler/analyze/aliases.ts): which locals share an object the handler
 * changes in place, and what the compiled machine does with them (they travel together through
 * the fragments and are never read by JSONata). The run-time side (one object again after
 * decoding) is the joint encoding of runtime/fragments; aliasing.ts's equivalence test checks both.
 */
const cases = path.join(import.meta.dirname, "../fixtures/aliases/cases.ts");

/** The names of the locals that travel together in `handler`, sorted. */
function shared(name: string): string[] {
  const handler = findHandlers(loadHandlerFile(cases).sourceFile!).find((h) => h.name === name)!;
  const locals = new Locals(handler.fn);
  const cfg = buildCfg(handler, locals);
  const aliases = new Aliases(handlerLiveness(cfg).liveIn.keys(), locals);
  return aliases
    .allShared()
    .map((l) => l.name)
    .sort();
}

describe("alias analysis", () => {
  it("keeps apart what shares an object nobody changes", () => {
    expect(shared("unchanged")).toEqual([]);
  });

  it("does not follow a reference through a primitive (list.length, a new string[])", () => {
    expect(shared("primitives")).toEqual(["event", "list"]);
  });

  it("takes a change to an Item as invisible through a string[]", () => {
    expect(shared("disjoint")).toEqual(["event", "items"]);
  });

  it("takes a callback's parameter for the list it walks", () => {
    expect(shared("callback")).toEqual(["copy", "list"]);
  });

  it("takes an object handed to an unknown function as changed, and the logger and JSON.stringify as not", () => {
    expect(shared("unknownCall")).toEqual(["event", "lines", "order"]);
    expect(shared("pureCalls")).toEqual([]);
  });

  it("follows an object stored inside another one", () => {
    expect(shared("stored")).toEqual(["list", "wrapper"]);
  });
});

describe("the compiled aliasing fixture", () => {
  const compiled = compileFile(path.join(import.meta.dirname, "../fixtures/compiler/aliasing.ts"));
  const [handler] = compiled.handlers;
  const states = Object.values(handler.definition.States) as {
    Type: string;
    Arguments?: { Payload?: { fragment?: string; vars?: Record<string, string> } };
    Assign?: Record<string, string>;
    Choices?: { Condition: string }[];
  }[];
  /** The Task whose fragment runs `code`: what it is handed and what it writes back. */
  const taskRunning = (code: string) => {
    const fragment = handler.fragmentsSource.split(/\n(?=\s*"?[\w-]+"?: async)/).find((f) => f.includes(code));
    expect(fragment, code).toBeDefined();
    // The fragment's id is the key its chunk starts with (a step's id may also appear inside the code).
    const id = /^\s*"?([\w-]+)"?: async/.exec(fragment!)?.[1];
    const task = states.find((s) => s.Arguments?.Payload?.fragment === id);
    expect(task, code).toBeDefined();
    return { carried: Object.keys(task!.Arguments!.Payload!.vars ?? {}).sort(), written: Object.keys(task!.Assign ?? {}).sort() };
  };

  it("hands the list to the fragment that changes its element, and takes both back", () => {
    const t = taskRunning("first.ok =");
    expect(t.carried).toEqual(expect.arrayContaining(["first", "list", "event"]));
    expect(t.written).toEqual(expect.arrayContaining(["list", "event"]));
  });

  it("hands the list and the loop's items to the fragment that changes the loop's item", () => {
    const t = taskRunning("item.seen =");
    expect(t.carried).toEqual(expect.arrayContaining(["item", "items", "list"]));
    expect(t.written).toEqual(expect.arrayContaining(["items", "list"]));
  });

  it("takes the holder back with the destructured object changed in place", () => {
    const t = taskRunning("meta.count += 1");
    expect(t.carried).toEqual(expect.arrayContaining(["holder", "meta"]));
    expect(t.written).toEqual(expect.arrayContaining(["holder", "meta"]));
  });

  it("keeps JSONata for an alias nobody changes", () => {
    const conditions = states.flatMap((s) => s.Choices?.map((c) => c.Condition) ?? []);
    // The comparison itself is JSONata (under the guards of exact JSONata, jsonata.ts), not a fragment.
    expect(conditions.some((c) => c.includes("($sameStats.tags > 1)"))).toBe(true);
  });
});
