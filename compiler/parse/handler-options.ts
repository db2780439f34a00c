import { Node, type Expression } from "ts-morph";
import { diagnosticAt, fail, messages, type Diagnostic } from "../diagnostics.ts";
import { resolveOptions } from "./const-options.ts";
import type { HandlerDecl } from "./handlers.ts";

/**
 * Options of `withDurableExecution(fn, options)` (the SDK's DurableExecutionConfig) that concern
 * only how the SDK reaches its checkpoint backend: on Step Functions the service keeps the state,
 * so they have nothing to act on and the workflow behaves the same. Said in a warning, not dropped.
 */
const TRANSPORT_OPTIONS = new Set(["client", "durableExecutionClient"]);
/** Only the depth of child operations kept across a replay: the compiled machine never replays. */
const REPLAY_OPTIONS = new Set(["pluginsConfig"]);

/**
 * The handler options the compiled machine cannot honour. `plugins` are user code the SDK calls
 * around every operation (and whose fields it adds to log lines): nothing calls them in a state
 * machine, so they are refused; an options value whose keys cannot be read is refused as well.
 * Options held in a const (`const config: DurableExecutionConfig = { client }`) are read as if
 * written inline, when no code can change that object (const-options.ts).
 */
export function handlerOptionWarnings(handler: HandlerDecl): Diagnostic[] {
  const call = handler.fn.getParent();
  if (!call || !Node.isCallExpression(call)) return [];
  const options = call.getArguments()[1] as Expression | undefined;
  if (!options) return [];
  const resolved = resolveOptions(options);
  if (!resolved) fail(options, messages.D2S2018.optionsNotLiteral());
  if ("why" in resolved) fail(options, messages.D2S2018.optionsChanged({ why: resolved.why }));
  const warnings: Diagnostic[] = [];
  for (const property of resolved.object.getProperties()) {
    const name = Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property) ? property.getName() : undefined;
    if (name === undefined) fail(property, messages.D2S2018.optionsNotLiteral());
    if (TRANSPORT_OPTIONS.has(name)) warnings.push(diagnosticAt(property, messages.D2S2019.transport({ name })));
    else if (REPLAY_OPTIONS.has(name)) warnings.push(diagnosticAt(property, messages.D2S2019.replayOnly({ name })));
    else if (name === "plugins") fail(property, messages.D2S2018.plugins());
    else fail(property, messages.D2S2018.unknown({ name }));
  }
  return warnings;
}
