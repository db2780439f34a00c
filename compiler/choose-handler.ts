import type { CompiledHandler } from "./types.ts";

/** A handler name that the file does not export, or none given where the file exports several: a usage error of the caller. */
export class HandlerChoiceError extends Error {}

/**
 * The handler `name` of one file's compiled handlers, or the only one. `run`, `verify`, `graph`
 * and `deploy` choose with it, so that `--handler` means the same everywhere, and verify runs that
 * same export under the SDK.
 */
export function chooseHandler(handlers: CompiledHandler[], file: string, name?: string): CompiledHandler {
  const names = handlers.map((h) => h.name).join(", ");
  if (name !== undefined) {
    const found = handlers.find((h) => h.name === name);
    if (!found) throw new HandlerChoiceError(`${file} exports no durable handler "${name}" (found: ${names})`);
    return found;
  }
  if (handlers.length > 1) throw new HandlerChoiceError(`${file} exports several durable handlers (${names}): choose one with --handler`);
  return handlers[0]!;
}
