import { Node } from "ts-morph";
import { isFunctionLike } from "../parse/durable-calls.ts";
import { arrayMethodJsonata } from "./jsonata-array-methods.ts";
import { batchCallJsonata } from "./jsonata-batch.ts";
import { plainParameters, returnedExpression, withBindings } from "./jsonata-callbacks.ts";
import { blockJsonata } from "./inline-body.ts";
import * as exact from "./jsonata-exact.ts";
import { parsableJson, parsedJson } from "./jsonata-json.ts";
import { operand, type CallTranslator, type T } from "./jsonata-term.ts";

/**
 * Calls that JSONata computes exactly: array methods (jsonata-array-methods.ts), the `Math`
 * functions below, and functions of the project whose body is one returned expression (inlined,
 * their parameters standing for the arguments: `orderTotalCents(event)`). Anything else is a call
 * a fragment makes.
 */
export function callJsonata(tr: CallTranslator, node: Node & { getExpression(): Node; getArguments(): Node[] }): T | undefined {
  const callee = node.getExpression();
  const args = node.getArguments();
  if (Node.isPropertyAccessExpression(callee) && !callee.hasQuestionDotToken()) {
    const owner = callee.getExpression();
    if (Node.isIdentifier(owner) && owner.getText() === "Math" && isGlobal(owner)) return mathJsonata(tr, callee.getName(), args);
    if (Node.isIdentifier(owner) && owner.getText() === "JSON" && isGlobal(owner)) return callee.getName() === "parse" ? jsonParse(tr, args) : undefined;
    const batch = batchCallJsonata(tr, callee, args);
    if (batch) return batch;
    return arrayMethodJsonata(tr, callee.getName(), owner, args);
  }
  return Node.isIdentifier(callee) ? inlinedJsonata(tr, callee, args) : undefined;
}

const isGlobal = (identifier: Node) => (identifier.getSymbol()?.getDeclarations() ?? []).every((d) => d.getSourceFile().isDeclarationFile());

/**
 * `Math.floor`, `ceil`, `round`, `abs` of a number, `max` / `min` of numbers. JSONata's `$round`
 * rounds half to even, so `round` is `floor` and a comparison; a result of -0 (JavaScript's
 * `Math.ceil(-0.5)`, `Math.round(-0.2)`) cannot be an ASL Variable, so those inputs run in code.
 */
function mathJsonata(tr: CallTranslator, name: string, args: Node[]): T | undefined {
  const nums = args.map((a) => (Node.isSpreadElement(a) ? undefined : tr.translate(a)));
  if (nums.length === 0 || nums.some((n) => !n || (n.kind !== "number" && n.kind !== "any"))) return undefined;
  const ts = nums as T[];
  const guards = ts.flatMap((t) => [...t.guards, ...(t.kind === "number" && !t.missing ? [] : [exact.typeIn(operand(t), "number")])]);
  const x = operand(ts[0]!);
  const one = (expr: string, ...more: string[]): T => ({ expr, kind: "number", missing: false, marker: false, guards: [...guards, ...more], atom: true });
  if (name === "max" || name === "min") return one(`$${name}([${ts.map((t) => t.expr).join(", ")}])`);
  if (ts.length !== 1) return undefined;
  if (name === "floor" || name === "abs") return one(`$${name}(${ts[0]!.expr})`);
  if (name === "ceil") return one(`$ceil(${ts[0]!.expr})`, `$not(${x} < 0 and ${x} > -1)`);
  // x - floor(x) is exact for every double, so the comparison with 0.5 is JavaScript's rounding (ties up).
  if (name === "round") return one(`($__v := ${ts[0]!.expr}; $__f := $floor($__v); $__v - $__f >= 0.5 ? $__f + 1 : $__f)`, `$not(${x} < 0 and ${x} >= -0.5)`);
  return undefined;
}

/**
 * `JSON.parse(text)` of one argument (no reviver): `$parse` where the text is JSON that it reads
 * as JSON.parse does (jsonata-json.ts). The value is any JSON; a one-key object whose key starts
 * with `__` would read as a marker once it is a local, so it counts as one.
 */
function jsonParse(tr: CallTranslator, args: Node[]): T | undefined {
  if (args.length !== 1 || Node.isSpreadElement(args[0]!)) return undefined;
  const text = tr.translate(args[0]!);
  if (!text) return undefined;
  return { expr: parsedJson(text.expr), kind: "any", missing: false, marker: true, guards: [...text.guards, parsableJson(operand(text))], atom: true };
}

/** How deep inlined functions may call one another: a recursive one is left to code. */
const MAX_INLINE_DEPTH = 4;

/**
 * A call of a function declared at the top of a module of the project (not a library's, not the
 * handler's own closures), with plain parameters, one argument each, and a body that returns one
 * expression, or a block of `const` declarations and `if (c) throw ...;` checks before its
 * `return` (inline-body.ts): the body's translation with each parameter and const standing for
 * its value. The body is pure when it translates (nothing in a translation calls or assigns
 * anything), so evaluating the arguments once or at each use gives the same value.
 */
function inlinedJsonata(tr: CallTranslator, callee: Node, args: Node[]): T | undefined {
  const fn = projectFunction(callee);
  if (!fn || tr.inlineDepth >= MAX_INLINE_DEPTH) return undefined;
  const params = fn.getParameters();
  if (params.length !== args.length || !plainParameters(params)) return undefined;
  if (args.some((a) => Node.isSpreadElement(a))) return undefined;
  const values = args.map((a) => tr.translate(a));
  if (values.some((v) => !v)) return undefined;
  const body = fn.getBody();
  const returned = returnedExpression(body);
  if (!body || (!returned && !Node.isBlock(body))) return undefined;
  tr.inlineDepth++;
  try {
    const t = withBindings(tr, params, values.map((v) => ({ ...v!, expr: operand(v!), atom: true, guards: [] })), () => (returned ? tr.translate(returned) : blockJsonata(tr, body)));
    return t && { ...t, guards: [...values.flatMap((v) => v!.guards), ...t.guards] };
  } finally {
    tr.inlineDepth--;
  }
}

type Fn = Node & { getParameters(): import("ts-morph").ParameterDeclaration[]; getBody(): Node | undefined; isAsync(): boolean };

/** The function a callee names, when it is one the project declares at the top of a module: `function f() {}` or `const f = (...) => ...`. */
function projectFunction(callee: Node): Fn | undefined {
  let symbol = callee.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  const declarations = symbol?.getDeclarations() ?? [];
  if (declarations.length !== 1) return undefined;
  const d = declarations[0]!;
  if (d.getSourceFile().isDeclarationFile() || d.getSourceFile().isInNodeModules()) return undefined;
  let fn: Node | undefined;
  if (Node.isFunctionDeclaration(d) && !d.isGenerator()) fn = d;
  else if (Node.isVariableDeclaration(d) && d.getVariableStatement()?.getDeclarationKind() === "const") {
    const init = d.getInitializer();
    if (init && (Node.isArrowFunction(init) || (Node.isFunctionExpression(init) && !init.isGenerator() && !init.getName()))) fn = init;
  }
  if (!fn || (fn as Fn).isAsync()) return undefined;
  // Top of its module: no enclosing function whose locals it could read.
  for (let n = d.getParent(); n; n = n.getParent()) if (isFunctionLike(n)) return undefined;
  return fn as Fn;
}
