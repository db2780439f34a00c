import path from "node:path";
import type { CallExpression } from "ts-morph";
import { earlyCompletionWarnings, nonDeterminismWarnings } from "./analyze/checks.ts";
import { noteCrossings } from "./analyze/crossings.ts";
import { Locals } from "./analyze/locals.ts";
import { moduleClasses } from "./analyze/module-classes.ts";
import { shapeMakers } from "./analyze/shapes.ts";
import { buildCfg } from "./lower/lowering.ts";
import { CompileError, diagnosticAt, diagnosticInFile, messages, type Diagnostic } from "./diagnostics.ts";
import { definitionSizeDiagnostic } from "./emit/definition-size.ts";
import { toDefinition, validateDefinition } from "./emit/asl.ts";
import { bundleFragments, fragmentsModuleSource } from "./emit/bundle.ts";
import { fragmentsModule } from "./emit/module-text.ts";
import { localsReadByJsonata } from "./emit/jsonata-reads.ts";
import { handlerOutputFiles, markerFor } from "./emit/output-files.ts";
import { writeOutputs } from "./emit/write-outputs.ts";
import { loadHandlerFile } from "./parse/project.ts";
import { desugarWithRetry } from "./parse/with-retry.ts";
import { workflowInvokes } from "./workflows.ts";
import { callsWithDurableExecution, findHandlers } from "./parse/handlers.ts";
import { followUntypedContexts } from "./parse/context-parameters.ts";
import { handlerOptionWarnings } from "./parse/handler-options.ts";
import { loggerConfigText } from "./analyze/logger-config.ts";
import { fragmentOperations } from "./emit/fragment-operations.ts";
import { handlerLiveness } from "./transform/graph-liveness.ts";
import { buildStates } from "./transform/states.ts";
import { optimize } from "./optimize/index.ts";
import type { BuiltHandler, CompiledHandler, CompileResult } from "./types.ts";

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === "error");

export interface CompileOptions {
  /** false: the plain mapping, every state the transform made (`--no-optimize`, for debugging). */
  optimize?: boolean;
}

/** Compiles every durable handler of one file (parse → analyze → transform → optimize → emit). */
export function compileFile(file: string, options: CompileOptions = {}): CompileResult {
  const { sourceFile, diagnostics } = loadHandlerFile(file);
  if (!sourceFile || hasErrors(diagnostics)) return { handlers: [], diagnostics };
  const absolute = sourceFile.getFilePath();
  try {
    desugarWithRetry(sourceFile);
  } catch (err) {
    if (err instanceof CompileError) return { handlers: [], diagnostics: [err.diagnostic] };
    throw err;
  }
  const unfollowed: { name: string; call: CallExpression }[] = [];
  const handlers = findHandlers(sourceFile, unfollowed);
  if (unfollowed.length > 0) return { handlers: [], diagnostics: unfollowed.map((u) => diagnosticAt(u.call, messages.D2S1005.functionNotFollowed({ name: u.name }))) };
  followUntypedContexts(sourceFile, handlers.map((h) => h.fn));
  if (handlers.length === 0) {
    const found = callsWithDurableExecution(sourceFile) ? messages.D2S1002.notExported({ file: path.basename(file) }) : messages.D2S1002.noHandler({ file: path.basename(file) });
    return { handlers: [], diagnostics: [diagnosticInFile(absolute, found)] };
  }
  const out: CompiledHandler[] = [];
  const all: Diagnostic[] = [];
  const moduleText = fragmentsModule(sourceFile, handlers);
  for (const handler of handlers) {
    all.push(...nonDeterminismWarnings(handler), ...earlyCompletionWarnings(handler));
    try {
      all.push(...handlerOptionWarnings(handler));
      const locals = new Locals(handler.fn);
      const cfg = buildCfg(handler, locals);
      const liveness = handlerLiveness(cfg);
      noteCrossings(cfg, liveness);
      const graph = buildStates(cfg, locals, absolute, liveness);
      if (options.optimize !== false) optimize(graph, sourceFile.getFullText());
      const definition = toDefinition(handler.name, path.basename(absolute), graph);
      const tooBig = definitionSizeDiagnostic(definition, handler.statement);
      if (tooBig) throw new CompileError(tooBig);
      const problems = validateDefinition(definition);
      if (problems.length > 0) {
        const where = `${path.basename(absolute)}:${handler.statement.getStartLineNumber()}`;
        throw new Error(`internal error (a compiler bug, please report it): the ASL emitted for ${handler.name} (${where}) is invalid: ${problems.join("; ")}`);
      }
      out.push({
        name: handler.name,
        file: absolute,
        definition,
        fragmentsSource: fragmentsModuleSource(moduleText, graph.fragments, moduleClasses(sourceFile).names, localsReadByJsonata(definition), shapeMakers(locals), {
          operations: fragmentOperations(graph.sourceMap),
          loggerConfig: loggerConfigText(handler),
        }, graph.serdes),
        sourceMap: { version: 1, handler: handler.name, file: path.basename(absolute), states: graph.sourceMap },
      });
    } catch (err) {
      if (err instanceof CompileError) all.push(err.diagnostic);
      else throw err;
    }
  }
  all.push(...workflowInvokes(out));
  return { handlers: hasErrors(all) ? [] : out, diagnostics: all };
}

/**
 * Writes `state-machine.asl.json`, `fragments/index.mjs`, `source-map.json` and `template.yaml` for
 * one handler into `outDir`, as `build` does (see emit/write-outputs.ts): all or nothing, and
 * replacing `outDir` only when an earlier build wrote it.
 */
export async function writeHandlerOutputs(handler: CompiledHandler, outDir: string): Promise<BuiltHandler> {
  const bundle = await bundleFragments(handler.fragmentsSource, handler.file);
  const files = handlerOutputFiles(handler, bundle);
  writeOutputs(path.dirname(outDir), [{ dir: outDir, files, marker: markerFor(handler, outDir, files) }], [handler.file]);
  return { handler, outDir, bundle };
}

/*
 * The public surface of the compiler, for the CLI, the harness and the benchmarks: what a build
 * writes, the names it gives, the graph drawings, and the diagnostics. Listed by name, so that
 * growing the surface is a visible change.
 */
export type { BuiltHandler, CompiledHandler, CompileResult } from "./types.ts";
export { CompileError, formatDiagnostic, type Diagnostic } from "./diagnostics.ts";
export type { AslDefinition } from "./emit/asl.ts";
export { bundleFragments } from "./emit/bundle.ts";
export { handlerOutputFiles, markerFor, MARKER_FILE, type OutputFiles } from "./emit/output-files.ts";
export { outputNames } from "./emit/output-names.ts";
export { folderEntries, OutputError, writeOutputs } from "./emit/write-outputs.ts";
export { defaultName, fragmentsFunctionName } from "./emit/template.ts";
export { PROJECT_TEMPLATE_HEADER, projectTemplateYaml } from "./emit/project-template.ts";
export { machineGraph, type SourceLines } from "./emit/graph.ts";
export { toMermaid } from "./emit/graph-mermaid.ts";
export { toSvg } from "./emit/graph-svg.ts";
export type { SourceMapEntry } from "./transform/operation-site.ts";
export { workflowInvokes } from "./workflows.ts";
export { chooseHandler, HandlerChoiceError } from "./choose-handler.ts";
export { HANDLER_FILE } from "./parse/project.ts";
