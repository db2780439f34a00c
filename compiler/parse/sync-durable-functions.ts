import { Node, type ArrowFunction, type FunctionExpression, type SourceFile } from "ts-morph";

type StepFunction = ArrowFunction | FunctionExpression;

/**
 * Step functions written without `async` (`context.step("greet", () => "hello")`, as in the
 * docs' quickstart). The SDK awaits what the function returns, so it runs them; its types ask for
 * a Promise, so TypeScript rejects the call (TS2769 / TS2345). Where every type error of the
 * handler is of this kind, the functions are made `async` in the compiler's copy of the file (the
 * same run under the SDK: a value returned or an error thrown becomes the promise's) and the file
 * is checked again. The user's file on disk is not touched.
 */

/** The durable calls whose function the SDK awaits, by the argument the function is. */
const AWAITED_FUNCTION = new Set(["step", "waitForCallback", "waitForCondition"]);
const CALL_ERRORS = new Set([2345, 2769]);

/**
 * The non-async functions passed to durable calls that the type errors at these positions are
 * about, or undefined when any error is about something else.
 */
export function syncDurableFunctions(sourceFile: SourceFile, errors: Array<{ code: number; file?: string; start: number }>): StepFunction[] | undefined {
  if (errors.length === 0) return undefined;
  const found = new Set<StepFunction>();
  for (const error of errors) {
    if (!CALL_ERRORS.has(error.code) || error.file !== sourceFile.getFilePath()) return undefined;
    const functions = functionArgumentsAt(sourceFile, error.start);
    if (functions.length === 0) return undefined;
    functions.forEach((fn) => found.add(fn));
  }
  return [...found];
}

/**
 * The non-async function arguments of the call nearest around a position (TypeScript places the
 * error at the call's name, TS2769, or at the argument, TS2345), where that call is
 * `<x>.step(...)` or one of the others.
 */
function functionArgumentsAt(sourceFile: SourceFile, position: number): StepFunction[] {
  let node: Node | undefined = sourceFile.getDescendantAtPos(position);
  while (node && !Node.isCallExpression(node)) node = node.getParent();
  if (!node || !Node.isCallExpression(node)) return [];
  const callee = node.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !AWAITED_FUNCTION.has(callee.getName())) return [];
  return node.getArguments().filter((a): a is StepFunction => (Node.isArrowFunction(a) || Node.isFunctionExpression(a)) && !a.isAsync() && !(Node.isFunctionExpression(a) && a.isGenerator()));
}

/** Makes the functions async in the in-memory source file. */
export function makeAsync(functions: StepFunction[]): void {
  // Last first, so that the positions of the others do not move.
  for (const fn of [...functions].sort((a, b) => b.getStart() - a.getStart())) fn.setIsAsync(true);
}
