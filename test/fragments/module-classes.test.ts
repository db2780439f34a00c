import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";

const classesOf = (file: string) => /const __d2sClasses: Record<string, Function> = \{ (.*) \};/.exec(compileFile(file).handlers[0]!.fragmentsSource)?.[1];

describe("the classes the fragments bundle hands to the dispatcher", () => {
  it("are the module's class declarations", () => {
    expect(classesOf(path.join(import.meta.dirname, "../fixtures/compiler/carried-values.ts"))).toBe("Item");
  });

  it("and the classes it imports, not its imported functions or types", () => {
    expect(classesOf(path.join(import.meta.dirname, "../../samples/approval/handler.ts"))).toBe("CallbackExternalError, CallbackTimeoutError");
  });
});
