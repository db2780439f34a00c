import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { earlyCompletionWarnings, nonDeterminismWarnings } from "./analyze/checks.ts";
import { Locals } from "./analyze/locals.ts";
import { buildCfg } from "./lower/lowering.ts";
import { CompileError, diagnosticInFile, messages, type Diagnostic } from "./diagnostics.ts";
import { definitionSizeDiagnostic } from "./emit/definition-size.ts";
import { toDefinition, validateDefinition, type AslDefinition } from "./emit/asl.ts";
import { bundleFragments, fragmentsModuleSource } from "./emit/bundle.ts";
import { handlerOutputFiles, markerFor } from "./emit/output-files.ts";
import { writeOutputs } from "./emit/write-outputs.ts";
import { loadHandlerFile } from "./parse/project.ts";
import { desugarWithRetry } from "./parse/with-retry.ts";
import { workflowInvokes } from "./workflows.ts";
import { findHandlers } from "./parse/handlers.ts";
import { handlerLiveness } from "./transform/graph-liveness.ts";
import type { SourceMapEntry } from "./transform/operation-site.ts";
import { buildStates } from "./transform/states.ts";

export interface CompiledHandler {
  name: string;
  file: string;
  definition: AslDefinition;
  /** TypeScript source of the fragments module, before bundling. */
  fragmentsSource: string;
  sourceMap: { version: 1; handler: string; file: string; states: Record<string, SourceMapEntry> };
}

export interface CompileResult {
  handlers: CompiledHandler[];
  /** Errors and warnings; any error means no handler output. */
  diagnostics: Diagnostic[];
}

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === "error");

/** Compiles every durable handler of one file (parse → analyze → transform → emit). */
export function compileFile(file: string): CompileResult {
  const { sourceFile, diagnostics } = loadHandlerFile(file);
  if (!sourceFile || hasErrors(diagnostics)) return { handlers: [], diagnostics };
  const absolute = sourceFile.getFilePath();
  try {
    desugarWithRetry(sourceFile);
  } catch (err) {
    if (err instanceof CompileError) return { handlers: [], diagnostics: [err.diagnostic] };
    throw err;
  }
  const handlers = findHandlers(sourceFile);
  if (handlers.length === 0) {
    return { handlers: [], diagnostics: [diagnosticInFile(absolute, messages.D2S1002.noHandler({ file: path.basename(file) }))] };
  }
  const out: CompiledHandler[] = [];
  const all: Diagnostic[] = [];
  let moduleText = sourceFile.getFullText();
  for (const h of [...handlers].sort((a, b) => b.statement.getStart() - a.statement.getStart())) {
    moduleText = moduleText.slice(0, h.statement.getStart()) + moduleText.slice(h.statement.getEnd());
  }
  for (const handler of handlers) {
    all.push(...nonDeterminismWarnings(handler), ...earlyCompletionWarnings(handler));
    try {
      const locals = new Locals(handler.fn);
      const cfg = buildCfg(handler, locals);
      const graph = buildStates(cfg, locals, absolute, handlerLiveness(cfg));
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
        fragmentsSource: fragmentsModuleSource(moduleText, graph.fragments),
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

export interface BuiltHandler {
  handler: CompiledHandler;
  outDir: string;
  bundle: string;
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

export type FragmentsHandler = (event: unknown) => Promise<unknown>;

/** Bundles the fragments and loads them into this process, for local runs. */
export async function loadFragments(handler: CompiledHandler): Promise<FragmentsHandler> {
  const bundle = await bundleFragments(handler.fragmentsSource, handler.file, "local");
  const dir = mkdtempSync(path.join(os.tmpdir(), "durable2sfn-"));
  const file = path.join(dir, "index.mjs");
  writeFileSync(file, bundle);
  try {
    const mod = await import(pathToFileURL(file).href);
    return mod.handler as FragmentsHandler;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { runHandlerScenario, runCompiled } from "./run.ts";
