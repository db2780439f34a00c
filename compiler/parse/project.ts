import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DiagnosticCategory, Project, ts, type SourceFile } from "ts-morph";
import { diagnosticAtPosition, diagnosticInFile, messages, type Diagnostic } from "../diagnostics.ts";

/**
 * The options are fixed rather than read from the user's tsconfig: the compiler needs strict
 * types to decide what crosses a boundary, and the same file must compile the same way in every
 * pipeline.
 */
const compilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  // JavaScript handlers (.js, .mjs, .cjs) are read with the types TypeScript infers and JSDoc
  // declares, and not type-checked: Lambda console code is not written for tsc. Without allowJs
  // a JavaScript file is outside the program and the checker crashes on it.
  allowJs: true,
  checkJs: false,
  types: ["node"],
};

/**
 * One project per process. Type-checking a handler is mostly checking the SDK's and Node's
 * declarations; keeping them loaded makes the second and later compiles in one process (a build
 * of several handlers, verify, the fuzzer) several times faster. Files outside node_modules are
 * dropped before each load, so every compile reads the user's files afresh and sees no other
 * handler's code.
 */
let shared: Project | undefined;

function projectForNextFile(): Project {
  shared ??= new Project({ compilerOptions });
  for (const file of shared.getSourceFiles()) {
    if (!file.isInNodeModules()) shared.removeSourceFile(file);
  }
  return shared;
}

/** What a handler file's name ends with: TypeScript or JavaScript, ESM or CommonJS. */
export const HANDLER_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/i;
const JAVASCRIPT = /\.[cm]?jsx?$/i;

/** Loads one handler file with the type checker on (a JavaScript file: types inferred and from JSDoc, never checked). */
export function loadHandlerFile(file: string): { sourceFile?: SourceFile; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    return { diagnostics: [diagnosticInFile(absolute, messages.D2S1001.noSuchFile({ file }))] };
  }
  const project = projectForNextFile();
  const sourceFile = project.addSourceFileAtPath(absolute);
  project.resolveSourceFileDependencies();
  const diagnostics = sourceFile
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === DiagnosticCategory.Error)
    .map((d): Diagnostic => {
      const start = d.getStart() ?? 0;
      const { line, column } = sourceFile.getLineAndColumnAtPos(start);
      const text = d.getMessageText();
      const variant = JAVASCRIPT.test(absolute) ? messages.D2S1003.javaScript : messages.D2S1003.typeScript;
      const message = variant({ code: d.getCode(), text: typeof text === "string" ? text : text.getMessageText() });
      return diagnosticAtPosition(message, d.getSourceFile()?.getFilePath() ?? absolute, line, column);
    });
  return { sourceFile, diagnostics };
}
