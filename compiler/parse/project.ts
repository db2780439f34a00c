import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DiagnosticCategory, Project, ts, type SourceFile } from "ts-morph";
import { diagnosticInFile, type Diagnostic } from "../diagnostics.ts";

/**
 * Loads one handler file with the type checker on. The options are fixed rather than read from
 * the user's tsconfig: the compiler needs strict types to decide what crosses a boundary, and
 * the same file must compile the same way in every pipeline.
 */
export function loadHandlerFile(file: string): { sourceFile?: SourceFile; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    return { diagnostics: [diagnosticInFile(absolute, "D2S1001", `cannot read ${file}: no such file`)] };
  }
  const project = new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      types: ["node"],
    },
  });
  const sourceFile = project.addSourceFileAtPath(absolute);
  project.resolveSourceFileDependencies();
  const diagnostics = sourceFile
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === DiagnosticCategory.Error)
    .map((d): Diagnostic => {
      const start = d.getStart() ?? 0;
      const { line, column } = sourceFile.getLineAndColumnAtPos(start);
      const text = d.getMessageText();
      const message = typeof text === "string" ? text : text.getMessageText();
      return {
        code: "D2S1003",
        severity: "error",
        file: d.getSourceFile()?.getFilePath() ?? absolute,
        line,
        column,
        message: `TS${d.getCode()}: ${message}`,
        hint: "the input must type-check: fix the TypeScript error first",
      };
    });
  return { sourceFile, diagnostics };
}
