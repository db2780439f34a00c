import type { Diagnostic } from "./diagnostics.ts";
import type { AslDefinition } from "./emit/asl.ts";
import type { SourceMapEntry } from "./transform/operation-site.ts";

/**
 * What the compiler hands out, in a file of its own so that the stages that use these types
 * (emit/*, workflows.ts) and index.ts, which composes those stages, need not import each other.
 */
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

export interface BuiltHandler {
  handler: CompiledHandler;
  outDir: string;
  bundle: string;
}
