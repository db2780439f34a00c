import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DiagnosticCategory, Project, ts, type SourceFile } from "ts-morph";
import { diagnosticAtPosition, diagnosticInFile, messages, type Diagnostic } from "../diagnostics.ts";
import { isLambdaClientEntry, LAMBDA_CLIENT_STUB, needsRealLambdaClient } from "./lambda-client-stub.ts";
import { makeAsync, syncDurableFunctions } from "./sync-durable-functions.ts";

/**
 * What the compiler needs whatever the user's tsconfig says: strict types decide what crosses a
 * boundary as JSON, and nothing is emitted. The rest (module resolution, `paths`, `types`, `lib`)
 * is the user's own, so that a handler compiles as it type-checks in its project.
 */
const required: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  // Emit settings of the user's build would only clash with noEmit.
  declaration: false,
  declarationMap: false,
  emitDeclarationOnly: false,
  composite: false,
  incremental: false,
  // JavaScript handlers (.js, .mjs, .cjs) are read with the types TypeScript infers and JSDoc
  // declares, and not type-checked: Lambda console code is not written for tsc. Without allowJs
  // a JavaScript file is outside the program and the checker crashes on it.
  allowJs: true,
  checkJs: false,
};

/** Without a tsconfig.json: what a bundler project would use (no `types` list: every @types package present is seen). */
const withoutConfig = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true,
  resolveJsonModule: true,
};

/**
 * One project per tsconfig per process. Type-checking a handler is mostly checking the SDK's and
 * Node's declarations; keeping them loaded makes the second and later compiles in one process (a
 * build of several handlers, verify, the fuzzer) several times faster. Files outside node_modules
 * are dropped before each load, so every compile reads the user's files afresh and sees no other
 * handler's code.
 */
const projects = new Map<string, Project>();

function projectForNextFile(configFile: string | undefined, options: ts.CompilerOptions, stubLambdaClient: boolean): Project {
  const key = `${configFile ?? ""}|${stubLambdaClient ? "stub" : "real"}`;
  let project = projects.get(key);
  if (!project) {
    project = new Project({ compilerOptions: { ...options, ...required } });
    parseAsTscDoes(project, stubLambdaClient);
    projects.set(key, project);
  }
  for (const file of project.getSourceFiles()) {
    if (!file.isInNodeModules()) project.removeSourceFile(file);
  }
  return project;
}

/** The one place ts-morph parses a file (its DocumentRegistry), as far as this module relies on it. */
interface DocumentRegistry {
  createOrUpdateSourceFile(fileName: string, settings: ts.CompilerOptions, snapshot: ts.IScriptSnapshot, scriptKind?: ts.ScriptKind): ts.SourceFile;
}

/**
 * Makes the project parse declarations as `tsc` does: in the files of node_modules (and the lib
 * files), JSDoc comments only where they can carry types (JavaScript; in TypeScript `@see` and
 * `@link` only): TypeScript's JSDocParsingMode ParseForTypeErrors, which gives the same type
 * errors. ts-morph parses every comment of the hundreds of declaration files a handler reaches
 * (Node's, the SDK's, the AWS SDK's), about a tenth of a compile, and has no option for it. The
 * user's own files are parsed whole as before: the compiler reads their syntax.
 * ts-morph parses through one method of its DocumentRegistry, replaced here with the same parse
 * (parent pointers set, a version per file counting up from "0"). Should a later ts-morph not
 * have that method, files are parsed its own way (slower, same result).
 * With `stubLambdaClient`, the Lambda client package's entry is read as lambda-client-stub.ts says.
 */
function parseAsTscDoes(project: Project, stubLambdaClient: boolean): void {
  const registry = (project as unknown as { _context?: { compilerFactory?: { documentRegistry?: DocumentRegistry } } })._context?.compilerFactory?.documentRegistry;
  if (typeof registry?.createOrUpdateSourceFile !== "function") return;
  const versions = new Map<string, number>();
  registry.createOrUpdateSourceFile = (fileName, settings, snapshot, scriptKind) => {
    const version = (versions.get(fileName) ?? -1) + 1;
    versions.set(fileName, version);
    const jsDocParsingMode = IN_NODE_MODULES.test(fileName) ? ts.JSDocParsingMode.ParseForTypeErrors : ts.JSDocParsingMode.ParseAll;
    if (stubLambdaClient && isLambdaClientEntry(fileName)) snapshot = ts.ScriptSnapshot.fromString(LAMBDA_CLIENT_STUB);
    return ts.createLanguageServiceSourceFile(fileName, snapshot, { languageVersion: settings.target ?? ts.ScriptTarget.Latest, jsDocParsingMode }, String(version), true, scriptKind);
  };
}

const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;

/** What a handler file's name ends with: TypeScript or JavaScript, ESM or CommonJS. */
export const HANDLER_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/i;
const JAVASCRIPT = /\.[cm]?jsx?$/i;

/** The compiler options of the tsconfig.json nearest to the handler (its `extends` followed), or problems with it. */
function userOptions(handlerFile: string): { configFile?: string; extended?: string[]; options: ts.CompilerOptions; diagnostics: Diagnostic[] } {
  const configFile = ts.findConfigFile(path.dirname(handlerFile), ts.sys.fileExists);
  if (!configFile) return { options: withoutConfig, diagnostics: [] };
  const problems: ts.Diagnostic[] = [];
  // No readDirectory: the files the config's `include` matches are never used (the program starts
  // from the handler), and listing them walks the whole project.
  const host = { ...ts.sys, readDirectory: () => [], onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => problems.push(d) };
  const extendedConfigs = new Map<string, ts.ExtendedConfigCacheEntry>();
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, host, extendedConfigs);
  // "No inputs were found" (TS18003) only says the include list misses the handler: the compiler adds it itself.
  problems.push(...(parsed?.errors ?? []).filter((d) => d.code !== 18003));
  const diagnostics = problems.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    return diagnosticAtPosition(messages.D2S1003.typeScript({ code: d.code, text }), d.file?.fileName ?? configFile, at.line + 1, at.character + 1);
  });
  const extended = [...extendedConfigs.keys()];
  return { configFile, extended, options: parsed?.options ?? {}, diagnostics };
}

/**
 * The files the last load read besides node_modules: the handler, the project's modules it
 * imports (for types too), and the tsconfig.json files that set the options. What a cache of the
 * compile's result must compare (api/run-cache.ts).
 */
export function filesOfLastLoad(): string[] {
  return lastLoad;
}

let lastLoad: string[] = [];

/** Loads one handler file with the type checker on (a JavaScript file: types inferred and from JSDoc, never checked). */
export function loadHandlerFile(file: string): { sourceFile?: SourceFile; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    return { diagnostics: [diagnosticInFile(absolute, messages.D2S1001.noSuchFile({ file }))] };
  }
  const config = userOptions(absolute);
  if (config.diagnostics.length > 0) return { diagnostics: config.diagnostics };
  // Read first with the Lambda client's types stubbed (lambda-client-stub.ts); again with the real
  // ones when the program needs them, or when it has type errors, so that messages are tsc's.
  const stubbed = loadInProject(projectForNextFile(config.configFile, config.options, true), absolute, true);
  const loaded = stubbed.needsRealLambdaClient || stubbed.diagnostics.length > 0 ? loadInProject(projectForNextFile(config.configFile, config.options, false), absolute, false) : stubbed;
  const configs = config.configFile ? [config.configFile, ...(config.extended ?? [])] : [];
  lastLoad = [...loaded.sourceFile.getProject().getSourceFiles().filter((f) => !f.isInNodeModules()).map((f) => f.getFilePath() as string), ...configs];
  return { sourceFile: loaded.sourceFile, diagnostics: loaded.diagnostics };
}

/** Reads the handler and what it imports into the project, and type-checks the handler. */
function loadInProject(project: Project, absolute: string, stubbed: boolean): { sourceFile: SourceFile; diagnostics: Diagnostic[]; needsRealLambdaClient: boolean } {
  const sourceFile = project.addSourceFileAtPath(absolute);
  project.resolveSourceFileDependencies();
  if (stubbed && needsRealLambdaClient(project.getProgram().compilerObject.getSourceFiles())) return { sourceFile, diagnostics: [], needsRealLambdaClient: true };
  let errors = typeErrors(sourceFile);
  // Step functions without `async`, which the SDK awaits and runs (sync-durable-functions.ts).
  const sync = JAVASCRIPT.test(absolute) ? undefined : syncDurableFunctions(sourceFile, errors.map((d) => ({ code: d.getCode(), file: d.getSourceFile()?.getFilePath(), start: d.getStart() ?? 0 })));
  if (sync) {
    const original = sourceFile.getFullText();
    makeAsync(sync);
    const again = typeErrors(sourceFile);
    if (again.length === 0) errors = again;
    else sourceFile.replaceWithText(original);
  }
  const diagnostics = errors.map((d): Diagnostic => {
      // The error may be in a module the handler imports: its position is in that file.
      const file = d.getSourceFile() ?? sourceFile;
      const { line, column } = file.getLineAndColumnAtPos(d.getStart() ?? 0);
      // The whole chain, as tsc prints it: "No overload matches this call" alone does not say what is wrong.
      const text = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n  ");
      const variant = JAVASCRIPT.test(absolute) ? messages.D2S1003.javaScript : messages.D2S1003.typeScript;
      return diagnosticAtPosition(variant({ code: d.getCode(), text }), file.getFilePath(), line, column);
    });
  return { sourceFile, diagnostics, needsRealLambdaClient: false };
}

function typeErrors(sourceFile: SourceFile) {
  return sourceFile.getPreEmitDiagnostics().filter((d) => d.getCategory() === DiagnosticCategory.Error);
}
