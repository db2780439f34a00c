import { Node, SyntaxKind, type CallExpression, type Expression, type Type } from "ts-morph";
import { environmentRead } from "./environment.ts";

const SDK_PACKAGE = "durable-execution-sdk-js";

/** True when a type is declared by the durable execution SDK under this name. */
function isSdkType(type: Type, name: string): boolean {
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  if (!symbol || symbol.getName() !== name) return false;
  return symbol.getDeclarations().some((d) => d.getSourceFile().getFilePath().includes(SDK_PACKAGE));
}

export function isDurableContext(node: Node): boolean {
  return isSdkType(node.getType(), "DurableContext") || isUntypedContext(node);
}

/**
 * Parameters that receive a DurableContext but have no type that says so: in JavaScript, a
 * function declared apart and passed to withDurableExecution or a map, or a helper the context is
 * passed to (context-parameters.ts finds them). Keyed by the TypeScript node, which lives as long
 * as the file's compile.
 */
const untypedContexts = new WeakSet<object>();

export function markUntypedContext(parameterName: Node): void {
  untypedContexts.add(parameterName.compilerNode);
}

function isUntypedContext(node: Node): boolean {
  if (!Node.isIdentifier(node)) return false;
  const declaration = node.getSymbol()?.getDeclarations()[0];
  return Node.isParameterDeclaration(declaration) && untypedContexts.has(declaration.getNameNode().compilerNode);
}

/** True when an identifier or call refers to a function exported by the SDK with this name. */
export function isSdkFunction(expr: Node, name: string): boolean {
  if (!Node.isIdentifier(expr) && !Node.isPropertyAccessExpression(expr)) return false;
  let symbol = expr.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  if (!symbol || symbol.getName() !== name) return false;
  return symbol.getDeclarations().some((d) => d.getSourceFile().getFilePath().includes(SDK_PACKAGE));
}

/** The operations of DurableContext this compiler knows, recognised by the receiver's type, never by name alone. */
export type DurableMethod =
  | "step"
  | "wait"
  | "waitForCallback"
  | "createCallback"
  | "invoke"
  | "runInChildContext"
  | "parallel"
  | "map"
  | "waitForCondition"
  | "configureLogger"
  | "configureSerdes"
  | "promise";

export interface DurableCall {
  call: CallExpression;
  method: DurableMethod | string;
  receiver: Expression;
}

/** `context.step(...)` and friends, where `context` has the SDK's DurableContext type. */
export function asDurableCall(node: Node): DurableCall | undefined {
  if (!Node.isCallExpression(node)) return undefined;
  const callee = node.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.getExpression();
  if (isDurableContext(receiver)) return { call: node, method: callee.getName(), receiver };
  // context.promise.all(...)
  if (Node.isPropertyAccessExpression(receiver) && receiver.getName() === "promise" && isDurableContext(receiver.getExpression())) {
    return { call: node, method: `promise.${callee.getName()}`, receiver };
  }
  return undefined;
}

/**
 * The SDK's overloads take an optional name first: a string (literal or computed) or `undefined`.
 * The rest are the operation's own arguments.
 */
export function splitName(call: CallExpression): { name?: Expression; rest: Expression[] } {
  const args = call.getArguments() as Expression[];
  return args.length > 0 && isNameArgument(args[0]) ? { name: args[0], rest: args.slice(1) } : { rest: args };
}

export function isNameArgument(arg: Expression): boolean {
  if (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg) || Node.isTemplateExpression(arg)) return true;
  if (arg.getText() === "undefined") return true;
  const type = arg.getType();
  return type.isString() || type.isStringLiteral();
}

/** invoke reads (name, functionId, input, options) when its second argument is a string, else (functionId, input, options). */
export function invokeArguments(call: CallExpression): { name?: Expression; functionId?: Expression; input?: Expression; options?: Expression } {
  const args = call.getArguments() as Expression[];
  // A function named by the environment (`process.env.PAYMENT_FN`) is a string when deployed: the template requires it.
  const [name, functionId, input, options] = args.length > 1 && (isNameArgument(args[1]) || environmentRead(args[1]) !== undefined) ? args : [undefined, ...args];
  return { name, functionId, input, options };
}

/**
 * `context.logger`: logging, not a durable operation. The SDK's logger has no context check, so
 * any context's logger may be used anywhere: in a step body, a submitter, a check, a child context.
 */
export function isLoggerAccess(identifier: Node): boolean {
  const parent = identifier.getParent();
  return Node.isPropertyAccessExpression(parent) && parent.getExpression() === identifier && parent.getName() === "logger";
}

/** Every node below `root` (excluding root's nested functions when asked) that uses the DurableContext. */
export function findDurableCalls(root: Node): DurableCall[] {
  const found: DurableCall[] = [];
  root.forEachDescendant((node) => {
    const call = asDurableCall(node);
    if (call) found.push(call);
  });
  return found;
}

export function containsDurableCall(root: Node): boolean {
  if (asDurableCall(root)) return true;
  return root.getFirstDescendant((n) => asDurableCall(n) !== undefined) !== undefined;
}

/**
 * Inside a function given to an operation (a step body, a submitter, a map function...)? With
 * `within`, only functions below it count: a statement of a map function being lowered is inside
 * that map function, but what it calls is at its own level.
 */
export function insideOperationFunction(node: Node, within?: Node): boolean {
  for (let n = node.getParent(); n && n !== within; n = n.getParent()) {
    if (isFunctionLike(n) && asDurableCall(n.getParent() ?? n)) return true;
  }
  return false;
}

export function isFunctionLike(node: Node): boolean {
  return (
    node.getKind() === SyntaxKind.ArrowFunction ||
    node.getKind() === SyntaxKind.FunctionExpression ||
    node.getKind() === SyntaxKind.FunctionDeclaration ||
    node.getKind() === SyntaxKind.MethodDeclaration
  );
}

/** `Promise.all` / `allSettled` / `any` / `race` of the global Promise, its method name. */
export function nativeCombinator(call: Node): string | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !["all", "allSettled", "any", "race"].includes(callee.getName())) return undefined;
  const owner = callee.getExpression();
  if (!Node.isIdentifier(owner) || owner.getText() !== "Promise") return undefined;
  const global = owner.getSymbol()?.getDeclarations().every((d) => d.getSourceFile().isDeclarationFile()) ?? false;
  return global ? callee.getName() : undefined;
}
