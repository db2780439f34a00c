import type { Entry } from "./entry.ts";

/** D2S1xxx: the input itself (a file that cannot be read, has no durable handler, or does not type-check). */
export const INPUT_CODES = {
  D2S1001: {
    severity: "error",
    title: "cannot read the input file",
    variants: {
      noSuchFile: (p: { file: string }) => ({ message: `cannot read ${p.file}: no such file` }),
    },
  },
  D2S1002: {
    severity: "error",
    title: "no durable handler found",
    variants: {
      noHandler: (p: { file: string }) => ({
        message: `no durable handler found in ${p.file}`,
        hint: "export one with `export const handler = withDurableExecution(async (event, context) => { ... })`",
      }),
      notExported: (p: { file: string }) => ({
        message: `no durable handler found in ${p.file}: its withDurableExecution(...) is not exported`,
        hint: "export it by name: `export const handler = ...`, `export { handler }`, `export default ...` or `exports.handler = ...`",
      }),
    },
  },
  D2S1003: {
    severity: "error",
    title: "TypeScript error in the input",
    variants: {
      typeScript: (p: { code: number; text: string }) => ({ message: `TS${p.code}: ${p.text}`, hint: "the input must type-check: fix the TypeScript error first" }),
      // JavaScript is parsed, not type-checked (checkJs is off): what is left is a syntax error.
      javaScript: (p: { code: number; text: string }) => ({ message: `TS${p.code}: ${p.text}`, hint: "the input must parse: fix the syntax error first" }),
    },
  },
  // D2S1004 (JavaScript inputs refused) is retired: they compile (parse/project.ts).
  D2S1005: {
    severity: "error",
    title: "a durable handler whose function is not in the file (imported from another module, or computed)",
    variants: {
      functionNotFollowed: (p: { name: string }) => ({
        message: `the durable handler ${p.name} wraps a function the compiler cannot find in this file`,
        hint: "write the function inline (`withDurableExecution(async (event, context) => { ... })`), or declare it in this file as a function or a const",
      }),
    },
  },
} as const satisfies Record<string, Entry>;
