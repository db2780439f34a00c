import { CompileError, compileFile, hasErrors, type CompiledHandler } from "../compiler/index.ts";
import { UsageError } from "./exit.ts";

/** Compiles `file` and returns the handler named `name`, or the only one; several without a name is a usage error. */
export function pickHandler(file: string, name: string | undefined): CompiledHandler {
  const compiled = compileFile(file);
  if (hasErrors(compiled.diagnostics)) throw new CompileError(compiled.diagnostics.find((d) => d.severity === "error")!);
  const handlers = compiled.handlers;
  const names = handlers.map((h) => h.name).join(", ");
  if (name) {
    const found = handlers.find((h) => h.name === name);
    if (!found) throw new UsageError(`${file} exports no durable handler "${name}" (found: ${names})`);
    return found;
  }
  if (handlers.length > 1) throw new UsageError(`${file} exports several handlers (${names}): choose one with --handler`);
  return handlers[0]!;
}
