import { Node, type ArrowFunction, type CallExpression, type Expression, type FunctionDeclaration, type FunctionExpression, type Statement } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import type { HandlerDecl } from "../parse/handlers.ts";
import type { Locals } from "./locals.ts";

/**
 * `context.configureLogger({ customLogger, modeAware })`. Under the SDK it changes what
 * `context.logger` is from then on, in this invocation and (run again on replay) in every later
 * one. The compiled machine runs the handler in many fragments, so the call compiles where every
 * fragment can honour it from its start: a statement of the handler's own body, before the handler
 * uses its context at all (no operation and no log line before it), with a logger made from
 * module-level values only, which the fragments function makes again in each invocation (the SDK
 * makes it again in each replay too). `modeAware: false` asks for the lines of replays, and the
 * compiled machine never replays: refused.
 */
export function checkLoggerConfiguration(call: CallExpression, statement: Statement, handlerFn: ArrowFunction | FunctionExpression | FunctionDeclaration | undefined, locals: Locals): void {
  // Not in the handler's own body (a helper, a map function, a child context): its context is another one.
  const body = handlerFn?.getBody();
  if (!handlerFn || !body || !Node.isBlock(body) || statement.getParent() !== body) fail(call, messages.D2S2009.loggerPlace());
  const receiver = call.getExpression();
  const context = Node.isPropertyAccessExpression(receiver) ? receiver.getExpression() : undefined;
  if (!context || context.getText() !== handlerFn.getParameters()[1]?.getName()) fail(call, messages.D2S2009.loggerPlace());
  for (const earlier of body.getStatements()) {
    if (earlier === statement) break;
    if (earlier.getDescendants().some((n) => Node.isIdentifier(n) && locals.resolve(n)?.isContext)) fail(call, messages.D2S2009.loggerPlace());
  }
  const [config] = call.getArguments() as Expression[];
  if (!config || !Node.isObjectLiteralExpression(config)) fail(config ?? call, messages.D2S2009.loggerConfigShape());
  for (const property of config.getProperties()) {
    const key = Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) ? property.getName() : undefined;
    if (key === "modeAware") {
      const value = Node.isPropertyAssignment(property) ? property.getInitializer()?.getText() : undefined;
      if (value !== "true") fail(property, messages.D2S2009.loggerNotModeAware());
    } else if (key === "customLogger") {
      const made = Node.isPropertyAssignment(property) ? property.getInitializer()! : property;
      const ids = Node.isIdentifier(made) ? [made] : made.getDescendants().filter(Node.isIdentifier);
      if (Node.isShorthandPropertyAssignment(made) ? locals.resolve(made.getNameNode()) : ids.some((id) => locals.resolve(id))) fail(property, messages.D2S2009.loggerFromLocals());
    } else fail(property, messages.D2S2009.loggerConfigShape());
  }
}

/** The configuration object's text, for the fragments function to make again (its names are all module-level). */
export function loggerConfigText(handler: HandlerDecl): string | undefined {
  const body = handler.fn.getBody();
  if (!Node.isBlock(body) || !handler.contextParam) return undefined;
  for (const statement of body.getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue;
    let e: Node = statement.getExpression();
    if (Node.isAwaitExpression(e)) e = e.getExpression();
    if (!Node.isCallExpression(e)) continue;
    const callee = e.getExpression();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === "configureLogger" && callee.getExpression().getText() === handler.contextParam) {
      return e.getArguments()[0]?.getText();
    }
  }
  return undefined;
}
