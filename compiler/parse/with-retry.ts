import { Node, SyntaxKind, type CallExpression, type Expression, type SourceFile } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { isDurableContext, isSdkFunction } from "./durable-calls.ts";
import { knownString } from "./known-values.ts";
import { WITH_RETRY_OPTIONS } from "./operation-options.ts";
import { readOptions } from "./options.ts";

/**
 * `withRetry(context, name, async (ctx, attempt) => { ... }, { retryStrategy })` is plain code
 * over the SDK's own operations: a child context running a loop that calls the function, asks
 * the strategy after a failure and waits `${name}-backoff-${attempt}` (the SDK's withRetry does
 * exactly this). It is rewritten into that code before lowering, so every part of it compiles as
 * usual and shows the same operations. The rewrite keeps the line breaks where they were, so
 * every later line keeps its number in diagnostics and state comments.
 */
export function desugarWithRetry(sourceFile: SourceFile): void {
  const calls = sourceFile
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((call) => isSdkFunction(call.getExpression(), "withRetry") && call.getArguments().some((a) => isDurableContext(a)));
  // From the end of the file, so that earlier positions stay valid; ids by position keep builds identical.
  for (let id = calls.length - 1; id >= 0; id--) calls[id]!.replaceWithText(rewrite(calls[id]!, id));
}

function rewrite(call: CallExpression, id: number): string {
  const args = call.getArguments();
  const [context, second] = args;
  const name = knownString(second);
  const named = name !== undefined;
  const [fn, options] = named ? args.slice(2) : args.slice(1);
  if (second && !named && !(Node.isArrowFunction(second) || Node.isFunctionExpression(second))) {
    fail(second, messages.D2S2008.withRetryName());
  }
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) {
    return fail(fn ?? call, messages.D2S2004.withRetryNotInline());
  }
  const config = readOptions(WITH_RETRY_OPTIONS, options as Expression | undefined, call)!.written;
  const [ctxParam, attemptParam] = fn.getParameters();
  const ctx = ctxParam?.getName() ?? `__d2sRetryCtx${id}`;
  const attempt = attemptParam?.getName() ?? `__d2sAttempt${id}`;
  const err = `__d2sRetryError${id}`;
  const decision = `__d2sRetryDecision${id}`;
  const body = fn.getBody();
  const bodyText = Node.isBlock(body) ? `${body.getText()} return;` : `return await (${body.getText()});`;
  const waitName = name === undefined ? "" : `\`${name.replace(/[`\\$]/g, "\\$&")}-backoff-\${${attempt}}\`, `;
  const nameArg = name === undefined ? "" : `${JSON.stringify(name)}, `;
  // Line breaks of the original call, kept at the same places (the body and config keep their own).
  const text = call.getSourceFile().getFullText();
  const breaks = (from: number, to: number) => text.slice(from, to).split("\n").length - 1;
  const head = `${context!.getText()}.runInChildContext(${nameArg}async (${ctx}) => { for (let ${attempt} = 1; ; ${attempt}++) { try `;
  const catchPart = `catch (${err}) { const ${decision} = (${config.getText()}).retryStrategy(${err} as Error, ${attempt}); if (!${decision}.shouldRetry) throw ${err}; await ${ctx}.wait(${waitName}${decision}.delay ?? { seconds: 1 }); } } })`;
  const before = "\n".repeat(breaks(call.getStart(), body.getStart()));
  const after = "\n".repeat(breaks(body.getEnd(), call.getEnd()) - breaks(config.getStart(), config.getEnd()));
  return `${head}${before}{ ${bodyText} } ${catchPart}${after}`;
}
