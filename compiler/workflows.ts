import path from "node:path";
import { withoutExtension } from "./emit/source-name.ts";
import { walkStates, type StateGraph } from "../asl/index.ts";
import { diagnosticAtPosition, messages, type Diagnostic } from "./diagnostics.ts";
import { defaultName } from "./emit/template.ts";
import type { CompiledHandler } from "./types.ts";

/**
 * `context.invoke` of another handler of the same build (by the name its state machine gets,
 * the path-derived `<path>-<export>` of template.ts, or the short `<file>-<export>`) is refused: compiled, that handler is a state machine, not
 * a Lambda function, so the `lambda:invoke` Task would call a function that does not exist.
 * Starting its state machine (`states:startExecution.sync:2`) is not implemented yet.
 */
export function workflowInvokes(handlers: CompiledHandler[]): Diagnostic[] {
  const workflows = new Set(handlers.flatMap((h) => [defaultName(h), `${withoutExtension(path.basename(h.file))}-${h.name}`]));
  const out: Diagnostic[] = [];
  for (const handler of handlers) {
    for (const { name, state } of walkStates(handler.definition as unknown as StateGraph)) {
      const target = (state.Arguments as { FunctionName?: unknown } | undefined)?.FunctionName;
      if (state.Type !== "Task" || typeof target !== "string" || !workflows.has(target)) continue;
      const at = handler.sourceMap.states[name];
      out.push(diagnosticAtPosition(messages.D2S2009.invokesCompiledWorkflow({ target }), handler.file, at?.line ?? 1, at?.column ?? 1));
    }
  }
  return out;
}
