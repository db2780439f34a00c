import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import { constInitializer } from "../../compiler/parse/const-declarations.ts";
import { knownValue } from "../../compiler/parse/known-values.ts";

/** The build-time folder over real source, resolved by TypeScript across modules. */
const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
project.createSourceFile(
  "/constants.ts",
  `export const STAGE = "prod";\nexport const LIMIT = 2 + 1;\nexport const T = { wait: { minutes: 2 } } as const;\nexport enum Kind { A = "a", B = 5 }\nexport let mutable = "x";\n`,
);
let files = 0;

/** The known value of `const probe = <text>` in a module that imports the constants and declares `head`. */
function known(text: string, head = ""): unknown {
  const file = project.createSourceFile(`/probe-${files++}.ts`, `import { STAGE, LIMIT, T, Kind, mutable } from "./constants";\n${head}\nconst probe = ${text};\n`);
  return knownValue(file.getVariableDeclarationOrThrow("probe").getInitializerOrThrow())?.value;
}

describe("knownValue", () => {
  it("folds literals, arithmetic and templates", () => {
    expect(known("5 * 60")).toBe(300);
    expect(known("-(2 ** 3) + 10 % 4")).toBe(-6);
    expect(known("`a-${1 + 1}-${true}`")).toBe("a-2-true");
    expect(known('"x" + 1')).toBe("x1");
    expect(known("{ seconds: 5 * 60, minutes: 1 }")).toEqual({ seconds: 300, minutes: 1 });
  });

  it("reads imported consts, enum members and fields of frozen objects", () => {
    expect(known("`order-${STAGE}`")).toBe("order-prod");
    expect(known("LIMIT * 2")).toBe(6);
    expect(known("T.wait")).toEqual({ minutes: 2 });
    expect(known('T["wait"].minutes')).toBe(2);
    expect(known("Kind.A")).toBe("a");
    expect(known("Kind.B")).toBe(5);
    expect(known("NAME as string", 'const NAME = "n" satisfies string;')).toBe("n");
    expect(known("{ seconds }", "const seconds = 4;")).toEqual({ seconds: 4 });
  });

  it("knows nothing that could change between runs", () => {
    expect(known("mutable")).toBeUndefined();
    // A plain object's fields can be changed by other code before the read: known only when no code can.
    expect(known("O.n", "const O = { n: 1 };\nO.n = 2;")).toBeUndefined();
    expect(known("O", "const O = { n: 1 };\ndeclare function f(o: object): void;\nf(O);")).toBeUndefined();
    expect(known("A[0]", "const A = [1];\nA.push(2);")).toBeUndefined();
    expect(known("Date.now()")).toBeUndefined();
    expect(known("`a-${x}`", "declare const x: string;")).toBeUndefined();
    expect(known("1 / 0")).toBeUndefined();
    expect(known("{ ...T.wait }")).toBeUndefined();
    expect(known("a", "const a = b; const b = a;")).toBeUndefined();
  });

  it("reads a plain object or array no code can change", () => {
    expect(known("O.n", "const O = { n: 1 };")).toBe(1);
    expect(known("{ timeout: O }", "const O = { minutes: 5 };\nconsole.log(`${O.minutes}`);")).toEqual({ timeout: { minutes: 5 } });
    expect(known("A[1]", "const A = [1, 2];")).toBe(2);
  });

  it("follows a const to the expression it holds", () => {
    const file = project.createSourceFile(`/init-${files++}.ts`, "const f = () => 1;\nconst g = f;\nconst probe = g;\n");
    expect(constInitializer(file.getVariableDeclarationOrThrow("probe").getInitializerOrThrow()).getText()).toBe("() => 1");
  });
});
