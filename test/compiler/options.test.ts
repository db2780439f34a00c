import { Project, type Expression } from "ts-morph";
import { describe, expect, it } from "vitest";
import { CompileError, type Diagnostic } from "../../compiler/diagnostics.ts";
import { INVOKE_OPTIONS, MAP_OPTIONS, PARALLEL_BRANCH, WITH_RETRY_OPTIONS } from "../../compiler/parse/operation-options.ts";
import { readOptions } from "../../compiler/parse/options.ts";

/** The options reader over the operations' descriptions, on options objects parsed from source. */
const project = new Project({ useInMemoryFileSystem: true });
let files = 0;

/** The expression `text`, parsed as the initializer of a variable on line 2 of a file. */
function expression(text: string): Expression {
  const file = project.createSourceFile(`options-${files++}.ts`, `const f = () => 0;\nconst o = ${text};\n`);
  return file.getVariableDeclarationOrThrow("o").getInitializerOrThrow();
}

function refusal(read: () => unknown): Pick<Diagnostic, "code" | "line" | "column" | "message"> {
  try {
    read();
  } catch (err) {
    if (!(err instanceof CompileError)) throw err;
    const { code, line, column, message } = err.diagnostic;
    return { code, line, column, message };
  }
  throw new Error("expected a refusal");
}

describe("readOptions", () => {
  it("reads a number literal and keeps run-time options as code", () => {
    const read = readOptions(MAP_OPTIONS, expression("{ maxConcurrency: 4, itemNamer: f, completionConfig: { minSuccessful: 1 } }"))!;
    expect(read.values.maxConcurrency.literal).toBe(4);
    expect(read.values.itemNamer.value?.getText()).toBe("f");
    expect(read.values.completionConfig.literal).toBeUndefined();
    expect(Object.keys(read.values)).toEqual(["maxConcurrency", "itemNamer", "completionConfig"]);
  });

  it("leaves absent optional options alone", () => {
    expect(readOptions(MAP_OPTIONS, undefined)).toBeUndefined();
    expect(readOptions(INVOKE_OPTIONS, undefined)).toBeUndefined();
  });

  it("reports the first refused property in source order, at that property", () => {
    // `serdes` is refused before the computed maxConcurrency after it: the first refusal wins.
    const options = expression("{ serdes: f, maxConcurrency: f }");
    expect(refusal(() => readOptions(MAP_OPTIONS, options))).toEqual({ code: "D2S2008", line: 2, column: "const o = { ".length + 1, message: "the map option `serdes` is not supported" });
  });

  it("refuses a computed literal option, and a refused key inside a run-time option", () => {
    expect(refusal(() => readOptions(MAP_OPTIONS, expression("{ maxConcurrency: f() }"))).message).toBe("maxConcurrency must be a number fixed when the machine is built");
    const text = "{ completionConfig: { minSuccessful: 1, shouldComplete: f } }";
    const inside = refusal(() => readOptions(MAP_OPTIONS, expression(text)));
    expect(inside).toMatchObject({ code: "D2S2008", message: "a custom shouldComplete function is not supported", column: "const o = ".length + text.indexOf("shouldComplete") + 1 });
  });

  it("names a property without a name by its text", () => {
    expect(refusal(() => readOptions(WITH_RETRY_OPTIONS, expression("{ ...f }"))).message).toBe("the withRetry option `...f` is not supported");
  });

  it("refuses options that are not an object literal, or missing when required, where the caller says", () => {
    expect(refusal(() => readOptions(MAP_OPTIONS, expression("f"))).message).toBe("map options must be an object literal");
    const call = expression("f()");
    expect(refusal(() => readOptions(WITH_RETRY_OPTIONS, undefined, call))).toMatchObject({ message: "withRetry options must be an object literal", line: 2, column: "const o = ".length + 1 });
  });

  it("ignores undescribed keys when the description has no refusal for them, and checks required ones first", () => {
    const branch = readOptions(PARALLEL_BRANCH, expression("{ other: 1, name: 'b', func: f }"))!;
    expect(branch.values.name.literal).toBe("b");
    expect(Object.keys(branch.values)).toEqual(["name", "func"]);
    const missing = refusal(() => readOptions(PARALLEL_BRANCH, expression("{ name: f }")));
    expect(missing).toEqual({ code: "D2S2004", line: 2, column: "const o = ".length + 1, message: "a named parallel branch needs `func`" });
  });

  it("reads a getter by its name where other keys are ignored, and refuses it by its text where they are refused", () => {
    expect(refusal(() => readOptions(PARALLEL_BRANCH, expression("{ get name() { return 'b'; }, func: f }"))).message).toBe("a parallel branch name must be fixed when the machine is built");
    expect(refusal(() => readOptions(MAP_OPTIONS, expression("{ get maxConcurrency() { return 1; } }"))).message).toBe("the map option `get maxConcurrency() { return 1; }` is not supported");
  });

  it("refuses each option of invoke with its reason, and accepts an empty object (the same as none)", () => {
    expect(() => readOptions(INVOKE_OPTIONS, expression("{}"))).not.toThrow();
    expect(refusal(() => readOptions(INVOKE_OPTIONS, expression("{ serdes: s }")))).toMatchObject({ code: "D2S2008", message: "invoke options (serdes, tenantId) are not supported" });
    expect(refusal(() => readOptions(INVOKE_OPTIONS, expression("{ tenantId: 't-1' }"))).message).toMatch(/^invoke `tenantId` cannot be passed on/);
  });
});


describe("readOptions with values fixed at build time", () => {
  it("reads a const, arithmetic and a shorthand property as the literal they hold", () => {
    const file = project.createSourceFile(`options-${files++}.ts`, "const LIMIT = 2 * 2;\nconst maxConcurrency = 3;\nconst a = { maxConcurrency: LIMIT + 1 };\nconst b = { maxConcurrency };\n");
    const read = (name: string) => readOptions(MAP_OPTIONS, file.getVariableDeclarationOrThrow(name).getInitializerOrThrow())!.values.maxConcurrency.literal;
    expect(read("a")).toBe(5);
    expect(read("b")).toBe(3);
  });
});

describe("readOptions of options held in a const", () => {
  /** The options named `cfg` in the last line `const o = cfg;` of a file with these lines first. */
  function named(lines: string[]): Expression {
    const file = project.createSourceFile(`options-${files++}.ts`, ["export {};", ...lines, "const o = cfg;", ""].join("\n"));
    return file.getVariableDeclarationOrThrow("o").getInitializerOrThrow();
  }
  const message = (lines: string[]) => refusal(() => readOptions(MAP_OPTIONS, named(lines))).message;

  it("reads an unchanged const (annotated, `satisfies`, through another const) as the object it holds, and keeps the name for run time", () => {
    const read = readOptions(MAP_OPTIONS, named(["const limit = 3;", "const base: { maxConcurrency: number } = { maxConcurrency: limit } satisfies object;", "const cfg = base;", "if (cfg === base) console.log(`${cfg.maxConcurrency}`);"]))!;
    expect(read.values.maxConcurrency.literal).toBe(3);
    expect(read.written.getText()).toBe("cfg");
    expect(read.node.getText()).toBe("{ maxConcurrency: limit }");
  });

  it("refuses a const whose object could change, saying where", () => {
    expect(message(["const cfg = { maxConcurrency: 3 };", "cfg.maxConcurrency = 5;"])).toBe("map options held in a const cannot be read as if written inline: `cfg.maxConcurrency` is changed at line 3");
    expect(message(["const cfg = { maxConcurrency: 3, completionConfig: { minSuccessful: 1 } };", "delete cfg.completionConfig.minSuccessful;"])).toContain("`cfg.completionConfig.minSuccessful` is changed at line 3");
    expect(message(["const cfg = { maxConcurrency: 3 };", "declare function tweak(o: object): void;", "tweak(cfg);"])).toContain("`cfg` is passed to `tweak` at line 4, which may change it");
    expect(message(["const cfg = { maxConcurrency: 3 };", "let alias = cfg;"])).toContain("`cfg` is copied into a variable at line 3");
    // A change made through another object that holds it is a change of it too.
    expect(message(["const cfg = { maxConcurrency: 3, completionConfig: { minSuccessful: 1 } };", "const holder = { inner: cfg.completionConfig };", "holder.inner.minSuccessful = 2;"])).toContain("`holder.inner.minSuccessful` is changed at line 4");
  });

  it("refuses a name that is no const of an object literal as before", () => {
    expect(message(["let cfg = { maxConcurrency: 3 };"])).toBe("map options must be an object literal");
  });
});
