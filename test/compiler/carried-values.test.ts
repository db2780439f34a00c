import path from "node:path";
import { describe, expect, it } from "vitest";
import { moduleClasses } from "../../compiler/analyze/module-classes.ts";
import { compileFile } from "../../compiler/index.ts";
import { loadHandlerFile } from "../../compiler/parse/project.ts";

/**
 * D2S2005 fires only for what cannot be carried (analyze/carriable.ts, closures-carried.ts), and
 * says where: the variable, the path inside it, the line it is made on and the operation it
 * crosses. The equivalence fixtures carried-closures and carried-classes prove that what is
 * accepted behaves as under the SDK; these check the refusals' texts and what the compiler hands
 * the fragments module.
 */
const bad = (name: string) => path.join(import.meta.dirname, "../fixtures/bad", name);
const good = (name: string) => path.join(import.meta.dirname, "../fixtures/compiler", name);

function refusal(file: string): string {
  const { handlers, diagnostics } = compileFile(bad(file));
  expect(handlers).toEqual([]);
  const errors = diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.code)).toEqual(["D2S2005"]);
  return errors[0].message;
}

describe("values that cannot cross a durable boundary", () => {
  it("names the path inside the value, the line it is made on and the operation it crosses", () => {
    const message = refusal("carried-nested-function.ts");
    expect(message).toContain("`order` is used across context.wait at line 4 but holds a function at `order.items[].price`");
    expect(message).toContain("created at line 3");
  });

  it("names a step it crosses by its name, and a weak collection nested in an object", () => {
    expect(refusal("weakmap-across-step.ts")).toContain('`cache` is used across context.step("touch") at line 6 but holds a WeakMap at `cache.byKey`');
  });

  it("names the class of an instance it cannot restore, and why, without any file path", () => {
    expect(refusal("handler-class.ts")).toContain("an instance of class Greeting (declared inside a function)");
    const notImported = refusal("class-not-imported.ts");
    expect(notImported).toContain("an instance of class Money (not imported by the handler's module)");
    expect(notImported).toContain("(type `Money`");
    expect(notImported).not.toContain("import(");
  });

  it("refuses private # fields, promises and host objects", () => {
    expect(refusal("private-field.ts")).toContain("a private field #n at `counters.main.#n`");
    expect(refusal("promise-across-wait.ts")).toContain("holds a Promise");
    expect(refusal("buffer-across-wait.ts")).toContain("holds a Buffer");
  });

  it("refuses a closure that cannot be re-created with the same bindings, naming what it captures", () => {
    expect(refusal("closure-reassigned-let.ts")).toContain("the function `next` is used across context.wait at line 6 and captures `count`, which is reassigned");
    expect(refusal("closure-assigns.ts")).toContain("the function `add` is used across context.wait at line 5 and assigns `total`");
    expect(refusal("closure-captures-promise.ts")).toContain("`later`, captured by the function `read`, is used across context.wait at line 5 but holds a Promise");
  });

  it("refuses an object literal whose methods cannot be made again with the same bindings, naming why", () => {
    expect(refusal("object-getter.ts")).toContain("`basket` is used across context.wait at line 11 but holds a method reading `bonus`, a local that is reassigned at `basket.count`");
    expect(refusal("shape-assigns.ts")).toContain("holds a method assigning `total` at `adder.add`");
    expect(refusal("shape-uses-context.ts")).toContain("holds a method using the durable context at `log.say`");
    expect(refusal("shape-outside-handler.ts")).toContain("holds a method of an object literal made outside the handler's code at `c.next`");
    expect(refusal("shape-in-closure.ts")).toContain("holds a method reading `start`, a binding of the function around the literal at `counter.next`");
    expect(refusal("shape-captures-promise.ts")).toContain("holds a Promise at `reader.read (captures later)`");
  });
});

describe("values that can cross", () => {
  it("compiles the equivalence fixtures of classes and closures without a diagnostic", () => {
    for (const file of ["carried-classes.ts", "carried-closures.ts", "carried-shapes.ts"]) {
      const { handlers, diagnostics } = compileFile(good(file));
      expect({ file, diagnostics }).toEqual({ file, diagnostics: [] });
      expect(handlers).toHaveLength(1);
    }
  });

  it("carries what a closure captures, never the closure itself", () => {
    const { handlers } = compileFile(good("carried-closures.ts"));
    const carried = new Set<string>();
    for (const state of Object.values(handlers[0].definition.States) as { Arguments?: { Payload?: { vars?: Record<string, unknown> } } }[]) {
      Object.keys(state.Arguments?.Payload?.vars ?? {}).forEach((name) => carried.add(name));
    }
    expect(carried).toContain("prefix");
    expect(carried).toContain("event");
    for (const closure of ["label", "scale", "describe", "say", "shift", "hoisted"]) expect(carried).not.toContain(closure);
  });

  it("hands the fragments module the classes it declares and imports, as the module spells them", () => {
    const { sourceFile } = loadHandlerFile(good("carried-classes.ts"));
    expect(moduleClasses(sourceFile!).names.sort()).toEqual(["Amount", "Cart", "Ledger"]);
  });

  it("tags each object literal with methods where it is created, and gives the fragments module one maker per literal", () => {
    const { handlers } = compileFile(good("carried-shapes.ts"));
    const source = handlers[0].fragmentsSource;
    const makers = source.slice(source.indexOf("const __d2sShapes"), source.indexOf("export const handler ="));
    const sites = [...makers.matchAll(/^ {2}"([^"]+)": \(\$d/gm)].map((m) => m[1]);
    const tagged = new Set([...source.matchAll(/\$d\.shaped\("([^"]+)"/g)].map((m) => m[1]));
    // basket, scaler, the two rows, self, outer and the literal inside it, the map function's cell
    expect(sites).toHaveLength(8);
    for (const site of sites) expect(tagged).toContain(site);
  });
});
