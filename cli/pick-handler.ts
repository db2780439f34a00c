import type { Scenario } from "../runtime/emulator/index.ts";
import { UsageError } from "./exit.ts";
import { chooseHandler, CompileError, compileFile, HANDLER_FILE, hasErrors, type CompiledHandler, type CompileOptions } from "../compiler/index.ts";

/** A durable handler's source, TypeScript or JavaScript (anything else given to `run`, `graph`, `validate` is a state machine). */
export const isHandlerFile = (file: string) => HANDLER_FILE.test(file);

/** Compiles `file` and returns the handler named `name`, or the only one; several without a name is a usage error. */
export function pickHandler(file: string, name: string | undefined, options: CompileOptions = {}): CompiledHandler {
  const compiled = compileFile(file, options);
  if (hasErrors(compiled.diagnostics)) throw new CompileError(compiled.diagnostics.find((d) => d.severity === "error")!);
  return chooseHandler(compiled.handlers, file, name);
}

/**
 * The handler export a command runs: `--handler`, else the scenario's `"handler"` field. Both
 * naming different exports is a usage error rather than a silent pick of one.
 */
export function handlerName(flag: string | undefined, scenarios: Scenario[]): string | undefined {
  const named = [...new Set(scenarios.map((s) => s.handler).filter((h): h is string => h !== undefined))];
  if (flag !== undefined) {
    const other = named.find((h) => h !== flag);
    if (other !== undefined) throw new UsageError(`--handler ${flag} and the scenario's "handler": "${other}" name different exports`);
    return flag;
  }
  if (named.length > 1) throw new UsageError(`the scenarios name different handlers (${named.join(", ")}): run them separately or give --handler`);
  return named[0];
}
