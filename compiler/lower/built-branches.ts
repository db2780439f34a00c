import { Node, type ArrowFunction, type Expression, type FunctionExpression } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";

/**
 * Parallel branches built from an array at run time: `context.parallel(items.map((item, i) =>
 * async (ctx) => ...))`. The SDK runs one branch per element of the mapped array, in index order,
 * named `parallel-branch-<i>`; the mapping function only makes closures (it starts nothing), so
 * the compiled machine runs a Map state over `items` whose iteration is the branch body, with
 * `item` and `i` bound per iteration (transform/concurrency.ts). Anything else the mapping
 * function does (statements before the branch, an async mapper whose elements are promises) has
 * no faithful place in that shape and is refused with its reason.
 */
export interface BuiltBranches {
  /** The array mapped. */
  items: Expression;
  /** The mapping function: its parameters are the item and the index. */
  mapper: ArrowFunction | FunctionExpression;
  /** The branch it returns, run in each branch's child context. */
  branch: ArrowFunction | FunctionExpression;
}

/** `items.map(mapper)` of an array whose mapper returns an async function; undefined for any other expression. */
export function builtBranches(node: Expression): BuiltBranches | undefined {
  const call = unwrap(node);
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "map") return undefined;
  const items = callee.getExpression();
  const type = items.getType();
  if (!type.isArray() && !type.isTuple()) return undefined;
  const [mapper, thisArg] = call.getArguments();
  if (!mapper || thisArg || !(Node.isArrowFunction(mapper) || Node.isFunctionExpression(mapper))) fail(call, messages.D2S2004.parallelMapper({ why: "the mapping function must be written inline" }));
  if (mapper.isAsync()) fail(mapper, messages.D2S2004.parallelMapper({ why: "an async mapping function makes promises, not branches (the SDK refuses them)" }));
  const params = mapper.getParameters();
  if (params.length > 2) fail(params[2], messages.D2S2008.mapArrayParameter());
  for (const param of params) if (!Node.isIdentifier(param.getNameNode())) fail(param, messages.D2S2011.branchParameterDestructured());
  const branch = returnedFunction(mapper);
  if (!branch) fail(mapper, messages.D2S2004.parallelMapper({ why: "the mapping function must return the branch `async (ctx) => { ... }` and do nothing else" }));
  if (!branch.isAsync()) fail(branch, messages.D2S2004.parallelMapper({ why: "the branch it returns must be an async function" }));
  return { items, mapper, branch };
}

/** `(item) => async (ctx) => ...` or `(item) => { return async (ctx) => ...; }`. */
function returnedFunction(mapper: ArrowFunction | FunctionExpression): ArrowFunction | FunctionExpression | undefined {
  const body = mapper.getBody();
  let value: Node | undefined = body;
  if (Node.isBlock(body)) {
    const statements = body.getStatements();
    const [only] = statements;
    value = statements.length === 1 && Node.isReturnStatement(only) ? only.getExpression() : undefined;
  }
  value = value && unwrap(value as Expression);
  return value && (Node.isArrowFunction(value) || Node.isFunctionExpression(value)) ? value : undefined;
}

function unwrap(node: Expression): Node {
  let at: Node = node;
  while (Node.isParenthesizedExpression(at) || Node.isAsExpression(at) || Node.isSatisfiesExpression(at)) at = at.getExpression();
  return at;
}
