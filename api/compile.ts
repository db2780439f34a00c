import path from "node:path";
import type { Message } from "esbuild";
import type { CompiledHandler, Diagnostic, OutputFiles } from "../compiler/index.ts";
import { BundleError } from "./errors.ts";

export interface CompileOptions {
  /** Called before each file is compiled (a long build can show how far it is). */
  onFile?: (file: string, index: number, count: number) => void;
  /** Only this durable handler (export name) of each file; by default every one. A file without it throws a HandlerChoiceError. */
  handler?: string;
  /** false: the plain mapping, every state the transform made (compiler/optimize/ skipped), for debugging. */
  optimize?: boolean;
}

/** One handler, compiled and bundled: what `build` writes for it, in memory. */
export interface CompiledOutput {
  handler: CompiledHandler;
  /** Its folder inside the output folder; distinct for every handler of one compile. */
  folder: string;
  /** The state machine's default name (template.yaml); the fragments function's follows from it. */
  machineName: string;
  /** Path (relative, with `/`) to content: state-machine.asl.json, fragments/index.mjs, source-map.json, template.yaml. */
  files: OutputFiles;
}

export interface Compilation {
  /** False when a diagnostic is an error; then `outputs` is empty. */
  ok: boolean;
  diagnostics: Diagnostic[];
  outputs: CompiledOutput[];
}

/**
 * Compiles durable handler files into their outputs (ASL, fragments bundle, source map, SAM
 * template), writing nothing. One error anywhere gives no outputs at all, as `build` writes
 * nothing then; a bundling failure throws a BundleError. TypeScript is loaded at the first call.
 */
export async function compile(files: string | string[], options: CompileOptions = {}): Promise<Compilation> {
  const list = typeof files === "string" ? [files] : files;
  const { bundleFragments, chooseHandler, compileFile, handlerOutputFiles, hasErrors, outputNames, workflowInvokes } = await import("../compiler/index.ts");
  const results = list.map((file, i) => {
    options.onFile?.(file, i, list.length);
    return compileFile(file, { optimize: options.optimize });
  });
  const diagnostics = results.flatMap((r) => r.diagnostics);
  const handlers = results.flatMap((r) => r.handlers);
  // Handlers of different files may invoke each other (each file checked its own already).
  if (list.length > 1) diagnostics.push(...workflowInvokes(handlers).filter((d) => !diagnostics.some((e) => e.file === d.file && e.line === d.line && e.code === d.code)));
  if (hasErrors(diagnostics)) return { ok: false, diagnostics, outputs: [] };
  const chosen = options.handler === undefined ? handlers : results.map((r, i) => chooseHandler(r.handlers, list[i]!, options.handler!));
  const names = outputNames(chosen);
  const outputs: CompiledOutput[] = [];
  for (const [i, handler] of chosen.entries()) {
    let bundle: string;
    try {
      bundle = await bundleFragments(handler.fragmentsSource, handler.file);
    } catch (err) {
      const first = (err as { errors?: Message[] }).errors?.[0];
      if (!first) throw err;
      const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
      throw new BundleError(`cannot bundle the fragments of ${path.relative(process.cwd(), handler.file)} (${handler.name}): ${at}${first.text}`);
    }
    outputs.push({ handler, folder: names[i].folder, machineName: names[i].machine, files: handlerOutputFiles(handler, bundle, names[i].machine) });
  }
  return { ok: true, diagnostics, outputs };
}
