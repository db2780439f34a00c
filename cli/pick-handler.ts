import { chooseHandler, CompileError, compileFile, HANDLER_FILE, hasErrors, type CompiledHandler } from "../compiler/index.ts";

/** A durable handler's source, TypeScript or JavaScript (anything else given to `run`, `graph`, `validate` is a state machine). */
export const isHandlerFile = (file: string) => HANDLER_FILE.test(file);

/** Compiles `file` and returns the handler named `name`, or the only one; several without a name is a usage error. */
export function pickHandler(file: string, name: string | undefined): CompiledHandler {
  const compiled = compileFile(file);
  if (hasErrors(compiled.diagnostics)) throw new CompileError(compiled.diagnostics.find((d) => d.severity === "error")!);
  return chooseHandler(compiled.handlers, file, name);
}
