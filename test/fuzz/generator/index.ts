export type { ProgramNode, Stmt } from "./ast.ts";
export { generatedProgram, printProgram, programArbitrary, type GeneratedProgram, type GeneratorOptions } from "./program.ts";
