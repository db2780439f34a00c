import { Node, SyntaxKind, type CallExpression, type PropertyAccessExpression, type Type } from "ts-morph";
import { isFunctionLike } from "../parse/durable-calls.ts";
import { BATCH_READING_METHODS, isBatchResult } from "./batch-result.ts";
import type { Local, Locals } from "./locals.ts";
import { isAssignmentOperator, isPrimitiveType } from "./render.ts";

/**
 * Where code changes an object in place: a property written (`o.k = v`, `o.n += 1`, `o.n++`,
 * `delete o.k`) or a mutating method called (`list.push(x)`, `map.set(k, v)`, `d.setHours(1)`).
 * `root` is the handler local whose object is changed: `list[0].ok = true` and
 * `list.find(f)!.ok = true` change `list`'s object; a parameter of a callback given to a method
 * of a local (`list.forEach((x) => { x.ok = true })`) stands for that local.
 */
export interface Mutation {
  node: Node;
  root: Local;
  /** The object changed: `first` in `first.ok = true`, `list` in `list.push(x)`. */
  target: Node;
  /** Anything reachable from it may change (handed to an unknown function), not only the object itself. */
  deep: boolean;
  /** How, for messages: "a property assignment", "`delete`", "`++`", "`push(...)`". */
  form: string;
}

/** Methods of the built-in Array, Map, Set, Date and typed arrays that change their receiver. */
const MUTATING_METHODS = new Set([
  "push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin",
  "set", "add", "delete", "clear",
  "setDate", "setFullYear", "setHours", "setMilliseconds", "setMinutes", "setMonth", "setSeconds", "setTime",
  "setUTCDate", "setUTCFullYear", "setUTCHours", "setUTCMilliseconds", "setUTCMinutes", "setUTCMonth", "setUTCSeconds", "setYear",
]);

/** Methods known to leave their receiver as it is: any other method of an object may change it (a class's `addItem`). */
const READING_METHODS = new Set([
  "at", "concat", "entries", "every", "filter", "find", "findIndex", "findLast", "findLastIndex", "flat", "flatMap",
  "forEach", "includes", "indexOf", "join", "keys", "lastIndexOf", "map", "reduce", "reduceRight", "slice", "some",
  "toReversed", "toSorted", "toSpliced", "values", "with", "get", "has", "toString", "toLocaleString", "valueOf",
  "toJSON", "toISOString", "toDateString", "toTimeString", "toUTCString", "hasOwnProperty",
  "getTime", "getDate", "getDay", "getFullYear", "getHours", "getMilliseconds", "getMinutes", "getMonth", "getSeconds",
  "getTimezoneOffset", "getUTCDate", "getUTCDay", "getUTCFullYear", "getUTCHours", "getUTCMinutes", "getUTCMonth", "getUTCSeconds",
  "charAt", "charCodeAt", "codePointAt", "endsWith", "startsWith", "padEnd", "padStart", "repeat", "replace", "replaceAll",
  "split", "substring", "toLowerCase", "toUpperCase", "trim", "trimEnd", "trimStart", "match", "matchAll", "search", "test", "exec", "toFixed",
  "info", "warn", "error", "debug", "log",
]);

/** Functions that read their arguments and change none of them. */
const PURE_FUNCTIONS = new Set([
  "JSON.stringify", "JSON.parse", "Object.keys", "Object.values", "Object.entries", "Object.freeze", "Object.isFrozen",
  "Array.isArray", "Array.from", "Array.of", "String", "Number", "Boolean", "BigInt", "Symbol", "parseInt", "parseFloat",
  "isNaN", "isFinite", "structuredClone", "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI",
  "Number.isNaN", "Number.isFinite", "Number.isInteger", "Number.parseFloat", "Number.parseInt", "Promise.resolve",
  "Set", "Map", "Date", "RegExp", "Error", "TypeError", "RangeError", "URL", "Date.now", "Date.parse",
]);

/** Property writes, `delete`, `++`/`--` on a property and mutating methods on a handler local, inside `node`. */
export function directMutations(node: Node, locals: Locals): Mutation[] {
  return collect(node, locals, false);
}

/**
 * As directMutations, and also any object handed to a function or method not known to leave it
 * as it is (`notify(order)`, `cart.addItem(x)`): for the alias analysis, which must assume the
 * worst, but not for refusals (handing an object to a function inside a step body is normal).
 */
export function possibleMutations(node: Node, locals: Locals): Mutation[] {
  return collect(node, locals, true);
}

function collect(node: Node, locals: Locals, possible: boolean): Mutation[] {
  const out: Mutation[] = [];
  const add = (at: Node, target: Node, form: string, deep = false) => {
    const root = rootLocal(target, locals);
    if (root) out.push({ node: at, root, target, deep, form });
  };
  for (const n of [node, ...node.getDescendants()]) {
    if (Node.isBinaryExpression(n) && isAssignmentOperator(n.getOperatorToken().getKind())) {
      for (const target of assignedProperties(n.getLeft())) add(n, objectOf(target), "a property assignment");
    } else if ((Node.isPrefixUnaryExpression(n) || Node.isPostfixUnaryExpression(n)) && isIncrement(n.getOperatorToken())) {
      if (isAccess(n.getOperand())) add(n, objectOf(n.getOperand()), n.getOperatorToken() === SyntaxKind.PlusPlusToken ? "`++`" : "`--`");
    } else if (Node.isDeleteExpression(n)) {
      add(n, objectOf(n.getExpression()), "`delete`");
    } else if (Node.isCallExpression(n)) {
      const callee = n.getExpression();
      const calleeText = callee.getText();
      if (Node.isPropertyAccessExpression(callee) && !PURE_FUNCTIONS.has(calleeText) && !calleeText.startsWith("console.") && !calleeText.startsWith("Math.")) {
        const method = callee.getName();
        if (MUTATING_METHODS.has(method)) add(n, callee.getExpression(), `\`${method}(...)\``);
        else if (possible && !READING_METHODS.has(method) && !(BATCH_READING_METHODS.has(method) && isBatchResult(callee.getExpression()))) add(n, callee.getExpression(), `\`${method}(...)\``, true);
        if (calleeText === "Object.assign" && n.getArguments()[0]) add(n, n.getArguments()[0], "`Object.assign(...)`");
      }
      // The context's logger only prints what it is given.
      const onContext = Node.isPropertyAccessExpression(callee) && rootIsContext(callee, locals);
      // An array's or string's own reading methods (`list.slice(from)`, `words.join(sep)`) leave their arguments as they are.
      const builtinReading = Node.isPropertyAccessExpression(callee) && READING_METHODS.has(callee.getName()) && isArrayOrString(callee.getExpression().getType());
      if (possible && !isPure(calleeText) && !onContext && !builtinReading) for (const arg of n.getArguments()) add(n, arg, "a call", true);
    } else if (possible && Node.isNewExpression(n) && !isPure(n.getExpression().getText())) {
      for (const arg of n.getArguments() ?? []) add(n, arg, "a call", true);
    }
  }
  return out;
}

/** A call known to change neither its receiver nor its arguments: `JSON.stringify(x)`, `console.log(x)`, `list.map(f)`, `context.logger.info(x)`. */
export function isPureCall(call: CallExpression, locals: Locals): boolean {
  const callee = call.getExpression();
  if (isPure(callee.getText())) return true;
  if (!Node.isPropertyAccessExpression(callee)) return false;
  return rootIsContext(callee, locals) || READING_METHODS.has(callee.getName());
}

function rootIsContext(callee: Node, locals: Locals): boolean {
  let n = strip(callee);
  while (Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n)) n = strip(n.getExpression());
  return Node.isIdentifier(n) && locals.resolve(n)?.isContext === true;
}

function isPure(callee: string): boolean {
  return PURE_FUNCTIONS.has(callee) || callee.startsWith("console.") || callee.startsWith("Math.") || /Error$/.test(callee);
}

function isIncrement(token: SyntaxKind): boolean {
  return token === SyntaxKind.PlusPlusToken || token === SyntaxKind.MinusMinusToken;
}

function isAccess(node: Node): boolean {
  const n = strip(node);
  return Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n);
}

function isArrayOrString(type: Type): boolean {
  if (type.isUnion()) return type.getUnionTypes().every(isArrayOrString);
  return type.isArray() || type.isTuple() || type.isString() || type.isStringLiteral() || type.isTemplateLiteral();
}

/** The property targets of an assignment's left side: `o.k`, or those inside a destructuring target `[o.a, p.b] = ...`. */
function assignedProperties(left: Node): Node[] {
  if (isAccess(left)) return [left];
  if (!Node.isObjectLiteralExpression(left) && !Node.isArrayLiteralExpression(left)) return [];
  return left.getDescendants().filter((d) => isAccess(d) && !isAccess(d.getParent()!) && !Node.isCallExpression(d.getParent()!));
}

/** The object whose property `o.k` / `o[k]` is: `o`. */
function objectOf(access: Node): Node {
  const n = strip(access);
  return Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n) ? n.getExpression() : n;
}

function strip(node: Node): Node {
  let n = node;
  while (Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isTypeAssertion(n)) {
    n = n.getExpression();
  }
  return n;
}

/**
 * The handler local whose object `target` is part of: through property and element access,
 * method calls (`list.find(...)` may give an element of `list`), `!`, parentheses and casts. A
 * callback's parameter stands for the receiver of the method it is given to.
 */
export function rootLocal(target: Node, locals: Locals, depth = 0): Local | undefined {
  let n = strip(target);
  for (;;) {
    if (Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n)) n = strip(n.getExpression());
    else if (Node.isCallExpression(n) && makesNew(n)) return undefined;
    else if (Node.isCallExpression(n) && Node.isPropertyAccessExpression(n.getExpression())) n = strip((n.getExpression() as PropertyAccessExpression).getExpression());
    else break;
  }
  if (!Node.isIdentifier(n) || depth > 8) return undefined;
  const local = locals.resolve(n);
  if (local) return local.isContext ? undefined : local;
  return callbackReceiver(n, locals, depth) ?? nestedAlias(n, locals, depth);
}

/**
 * The local a `const` of the handler was taken from, followed back (`const it = item` gives
 * `item`, `const first = list[0]` gives `list`), or the local itself.
 */
export function aliasOrigin(local: Local, locals: Locals): Local {
  let current = local;
  for (let depth = 0; depth < 8; depth++) {
    const declaration = current.declaration;
    if (!declaration || !Node.isVariableDeclaration(declaration) || declaration.getVariableStatement()?.getDeclarationKind() !== "const") break;
    const init = declaration.getInitializer();
    const from = init && !isPrimitiveType(current.type) ? rootLocal(init, locals) : undefined;
    if (!from || from === current) break;
    current = from;
  }
  return current;
}

/** Methods and functions whose result is a new array (or object), never their receiver or argument. */
const NEW_VALUE = new Set(["map", "filter", "slice", "concat", "flat", "flatMap", "toSorted", "toReversed", "toSpliced", "with", "split", "Object.keys", "Object.values", "Object.entries", "Array.from", "structuredClone", "JSON.parse"]);

export function makesNew(call: CallExpression): boolean {
  const callee = call.getExpression();
  return NEW_VALUE.has(callee.getText()) || (Node.isPropertyAccessExpression(callee) && NEW_VALUE.has(callee.getName()));
}

/** `const a = audit` inside a step body: `a.push(x)` changes the handler's `audit`. */
function nestedAlias(identifier: Node, locals: Locals, depth: number): Local | undefined {
  const declaration = identifier.getSymbol()?.getDeclarations()[0];
  if (!declaration || !Node.isVariableDeclaration(declaration)) return undefined;
  const init = declaration.getInitializer();
  if (!init || isPrimitiveType(declaration.getType())) return undefined;
  return rootLocal(init, locals, depth + 1);
}

/** `list.forEach((x) => ...)`: `x` (declared as the callback's parameter) stands for `list`. */
function callbackReceiver(identifier: Node, locals: Locals, depth: number): Local | undefined {
  const declaration = identifier.getSymbol()?.getDeclarations()[0];
  if (!declaration || !Node.isParameterDeclaration(declaration)) return undefined;
  const fn = declaration.getParent();
  const call = fn?.getParent();
  if (!fn || !isFunctionLike(fn) || !call || !Node.isCallExpression(call) || !Node.isPropertyAccessExpression(call.getExpression())) return undefined;
  return rootLocal((call.getExpression() as PropertyAccessExpression).getExpression(), locals, depth + 1);
}
