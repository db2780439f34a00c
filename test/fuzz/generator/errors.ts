import fc from "fast-check";
import type { ErrorClass, Stmt } from "./ast.ts";
import { boolExpr, strExpr } from "./expressions.ts";
import { errorClass, errorText } from "./operations.ts";
import type { Printer } from "./printer.ts";

/**
 * Errors: try / catch / finally (any of catch and finally, nested), catch code that reads
 * `err.name`, `err.message`, `err instanceof StepError` / `CallbackTimeoutError` / an Error
 * class, keeps the message in a local, or rethrows (always or on a condition), and throws of Error
 * subclasses outside steps (built-in ones and two classes of the program: one setting `name` in
 * its constructor, one with a `name` field).
 */

type S<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

/** try statements, given the arbitraries of the blocks. */
export function tryStatement(block: fc.Arbitrary<Stmt[]>, catchBlock: fc.Arbitrary<Stmt[]>): fc.Arbitrary<Stmt> {
  return fc
    .record({ k: fc.constant("try" as const), body: block, handler: fc.option(catchBlock, { nil: null, freq: 5 }), fin: fc.option(block, { nil: null, freq: 2 }) })
    .map((s) => (s.handler === null && s.fin === null ? { ...s, handler: [] } : s));
}

/** Statements that only make sense in a catch block. */
export const catchStatement: fc.Arbitrary<Stmt> = fc.oneof(
  {
    arbitrary: fc.record({
      k: fc.constant("catchRead" as const),
      form: fc.constantFrom(
        "name" as const,
        "message" as const,
        "both" as const,
        "instanceofStep" as const,
        "instanceofTimeout" as const,
        "instanceofClass" as const,
        "declare" as const,
      ),
      cls: errorClass,
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant("rethrow" as const), c: fc.option(boolExpr(1), { nil: null, freq: 2 }) }), weight: 1 },
);

export const throwStatement: fc.Arbitrary<Stmt> = fc.record({
  k: fc.constant("throw" as const),
  cls: errorClass,
  msg: strExpr(1),
  c: fc.option(boolExpr(1), { nil: null, freq: 4 }),
});

// ---- printing ------------------------------------------------------------------------------------

export function printTry(s: S<"try">, p: Printer): boolean {
  p.feature(s.handler && s.fin ? "try-catch-finally" : s.handler ? "try-catch" : "try-finally");
  p.line("try {");
  if (s.fin) p.guardedReturns++;
  p.block(s.body);
  if (s.handler) {
    const e = p.fresh("e");
    p.line(`} catch (${e}) {`);
    p.withCatch(e, () => p.block(s.handler!));
  }
  if (s.fin) p.guardedReturns--;
  if (s.fin) {
    p.line("} finally {");
    p.block(s.fin);
  }
  p.line("}");
  return false;
}

export function printCatchRead(s: S<"catchRead">, p: Printer): boolean {
  const e = p.catchVariable();
  if (!e) return false;
  p.feature(`catch-${s.form}`);
  switch (s.form) {
    case "name":
      p.line(`trail.push(\`caught \${(${e} as Error).name}\`);`);
      break;
    case "message":
      p.line(`trail.push((${e} as Error).message);`);
      break;
    case "both":
      p.line(`trail.push(\`\${(${e} as Error).name}: \${(${e} as Error).message}\`);`);
      break;
    case "instanceofStep":
      p.imports.add("StepError");
      p.line(`trail.push(${e} instanceof StepError ? "step-error" : "other-error");`);
      break;
    case "instanceofTimeout":
      p.imports.add("CallbackTimeoutError");
      p.line(`if (${e} instanceof CallbackTimeoutError) trail.push("timed-out");`);
      break;
    case "instanceofClass": {
      const cls: ErrorClass = s.cls;
      p.line(`trail.push(${e} instanceof ${errorText(cls, p)} ? "is-${cls}" : "not-${cls}");`);
      break;
    }
    case "declare": {
      const name = p.fresh("t");
      p.line(`const ${name}: string = (${e} as Error).message;`);
      p.declare(name, "str", false);
      break;
    }
  }
  return false;
}

export function printRethrow(s: S<"rethrow">, p: Printer): boolean {
  const e = p.catchVariable();
  if (!e) return false;
  p.feature("rethrow");
  if (s.c) {
    p.line(`if (${p.bool(s.c)}) throw ${e};`);
    return false;
  }
  p.line(`throw ${e};`);
  return true;
}

export function printThrow(s: S<"throw">, p: Printer): boolean {
  p.feature("throw");
  const text = `throw new ${errorText(s.cls, p)}(${p.str(s.msg)});`;
  if (s.c) {
    p.line(`if (${p.bool(s.c)}) ${text}`);
    return false;
  }
  p.line(text);
  return true;
}

/** Error classes a program declares, printed only when used. */
export const CLASS_SOURCE: Record<string, string> = {
  OrderError: ["class OrderError extends Error {", "  constructor(message: string) {", "    super(message);", '    this.name = "OrderError";', "  }", "}"].join("\n"),
  LimitError: ["class LimitError extends Error {", '  override name = "LimitError";', "}"].join("\n"),
};
