import { Node, ts, type Symbol as MorphSymbol, type Type } from "ts-morph";
import { asDurableCall, isFunctionLike } from "../parse/durable-calls.ts";
import { moduleClasses } from "./module-classes.ts";
import { shapeMembers } from "./render.ts";
import { literalVerdict } from "./shapes.ts";

/**
 * Can a value of this type cross a durable boundary, as the fragments encode locals
 * (runtime/fragments/values.ts)? The encoding carries JSON values and also undefined, NaN,
 * -0, bigint, Date, RegExp, URL, Map, Set, typed arrays, ArrayBuffer, errors of any class,
 * shared references, instances of the module's classes (module-classes.ts) with their
 * prototype, and object literals of the handler with methods or getters (shapes.ts). It cannot carry code, nor what lives outside the value (a pending Promise, weak
 * references, streams, sockets). The walk follows the type into properties, elements, union
 * members, Map and Set contents and class fields, and names the path where it finds such a value.
 * `any` and `unknown` cannot be judged here: the run-time encoder refuses what it cannot carry.
 */
export interface Uncarriable {
  /** What was found, e.g. "a function", "a Promise", "an instance of class Draft". */
  what: string;
  /** Where inside the value, e.g. `order.items[].handler`. */
  path: string;
  hint: string;
}

/** Built-in classes the encoding carries as they are. */
const CARRIED = new Set([
  "Date", "RegExp", "URL", "URLSearchParams", "ArrayBuffer", "DataView",
  ..."Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Float16Array Int32Array Uint32Array Float32Array Float64Array BigInt64Array BigUint64Array".split(" "),
]);
const CONTAINERS = new Set(["Map", "ReadonlyMap", "Set", "ReadonlySet"]);
const PENDING = new Set(["Promise", "PromiseLike"]);
const WEAK = new Set(["WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry"]);
/** Objects of the host (Node.js, the web APIs) that hold a resource, not data. Buffer: carried, it would come back a plain Uint8Array. */
const HOST = new Set([
  "Buffer", "Blob", "File", "Response", "Request", "Headers", "FormData", "ReadableStream", "WritableStream", "TransformStream",
  "Readable", "Writable", "Duplex", "Transform", "Stream", "Socket", "Server", "EventEmitter", "AbortController", "AbortSignal",
  "Worker", "ChildProcess", "FileHandle", "IncomingMessage", "ServerResponse", "ClientRequest", "Agent", "Timeout", "Immediate",
  "MessagePort", "MessageChannel", "BroadcastChannel", "WebSocket", "TextEncoder", "TextDecoder",
]);

const SIMPLE =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike |
  ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never |
  ts.TypeFlags.Instantiable | ts.TypeFlags.NonPrimitive;

/** Deep or wide library types are not walked to the end; what lies beyond is left to the run-time encoder. */
const MAX_DEPTH = 8;
const MAX_VISITS = 2000;

const SHAPE_HINT =
  "an object literal's methods and getters cross when they read only `this`, their parameters, module bindings and locals never reassigned; or use a class of the module";

const REBUILD = "recompute it after the operation, or return plain data from a step";

/**
 * Does the local hold what a durable operation returned, as it was declared? The SDK hands a
 * result through its serdes (JSON) even on the first run, so it holds only JSON whatever its
 * type says (`await context.step(async () => fetch(url))` gives `{}`), and is not judged by type.
 */
export function isOperationResult(declaration: Node): boolean {
  let node: Node | undefined = declaration;
  while (node && (Node.isBindingElement(node) || Node.isObjectBindingPattern(node) || Node.isArrayBindingPattern(node))) node = node.getParent();
  if (!node || !Node.isVariableDeclaration(node)) return false;
  let init = node.getInitializer();
  while (init && (Node.isParenthesizedExpression(init) || Node.isAsExpression(init) || Node.isNonNullExpression(init))) init = init.getExpression();
  if (!init || !Node.isAwaitExpression(init)) return false;
  const call = asDurableCall(init.getExpression());
  return call !== undefined && call.method !== "map" && call.method !== "parallel";
}

/** The first value of type `type` (held by `name`, declared at `at`) that cannot be carried, or undefined. */
export function uncarriable(type: Type, name: string, at: Node): Uncarriable | undefined {
  return walk(type, name, { at, onPath: new Set(), depth: 0, budget: { left: MAX_VISITS } });
}

interface Walk {
  at: Node;
  onPath: Set<ts.Type>;
  depth: number;
  budget: { left: number };
}

function walk(type: Type, path: string, w: Walk): Uncarriable | undefined {
  if (type.getFlags() & SIMPLE) return undefined;
  if (type.getFlags() & ts.TypeFlags.ESSymbolLike) return { what: "a symbol", path, hint: REBUILD };
  // A recursive type: this level is being judged already.
  if (w.onPath.has(type.compilerType) || w.depth > MAX_DEPTH || --w.budget.left < 0) return undefined;
  const inner: Walk = { at: w.at, onPath: new Set([...w.onPath, type.compilerType]), depth: w.depth + 1, budget: w.budget };
  if (type.isUnion()) return first(type.getUnionTypes().map((t) => () => walk(t, path, inner)));
  if (type.isIntersection()) return first(type.getIntersectionTypes().map((t) => () => walk(t, path, inner)));
  if (type.isTuple()) return first(type.getTupleElements().map((t, i) => () => walk(t, `${path}[${i}]`, inner)));
  const element = type.getArrayElementType() ?? (type.getSymbol()?.getName() === "ReadonlyArray" ? type.getTypeArguments()[0] : undefined);
  if (element) return walk(element, `${path}[]`, inner);
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
    return { what: "a function", path, hint: "keep functions out of what crosses: a local `const f = () => ...` that reads only const locals is re-created after the operation, a function inside an object or array is not" };
  }
  if (isError(type)) return undefined; // errors of any class are carried with their class and fields
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  const library = symbol !== undefined && symbol.getDeclarations().length > 0 && symbol.getDeclarations().every((d) => d.getSourceFile().isDeclarationFile());
  const symbolName = symbol?.getName() ?? "";
  if (library) {
    if (CARRIED.has(symbolName)) return undefined;
    if (symbolName === "BatchResult" && isSdk(symbol)) return undefined; // the SDK's map/parallel result: carried with its methods
    if (CONTAINERS.has(symbolName)) {
      const [first_, second] = type.getTypeArguments();
      const isMap = symbolName.endsWith("Map");
      return (first_ && walk(first_, isMap ? `${path}[key]` : `${path}[]`, inner)) || (isMap && second ? walk(second, `${path}[value]`, inner) : undefined);
    }
    if (PENDING.has(symbolName)) return { what: "a Promise", path, hint: "await it before the operation: a pending promise cannot be carried" };
    if (WEAK.has(symbolName)) return { what: `a ${symbolName}`, path, hint: `a ${symbolName} cannot be carried (its entries are not reachable); use a Map or Set, or ${REBUILD}` };
    if (HOST.has(symbolName)) return { what: `a ${symbolName} (an object of the host, not data)`, path, hint: REBUILD };
  }
  const classDecl = symbol?.getDeclarations().find((d) => Node.isClassDeclaration(d) || Node.isClassExpression(d));
  if (classDecl) {
    const refused = classRefusal(classDecl, symbolName, path, w.at);
    if (refused) return refused;
  }
  return walkProperties(type, path, inner, classDecl !== undefined);
}

/** An instance is restored only when its class is in the module's registry, and only its own fields travel. */
function classRefusal(classDecl: Node, name: string, path: string, at: Node): Uncarriable | undefined {
  const what = `an instance of class ${name || "(anonymous)"}`;
  if (moduleClasses(at.getSourceFile()).declarations.has(classDecl)) return undefined;
  const inFunction = classDecl.getAncestors().some((a) => isFunctionLike(a));
  if (inFunction) return { what: `${what} (declared inside a function)`, path, hint: "declare the class at the top level of the module: only there can its instances get their prototype back after the operation" };
  return { what: `${what} (not imported by the handler's module)`, path, hint: `import \`${name}\` by name in the handler's module, so that its instances get their prototype back after the operation` };
}

/** Own data: a class's fields (its methods and accessors are on the prototype), an object's properties, index signatures. */
function walkProperties(type: Type, path: string, w: Walk, isClass: boolean): Uncarriable | undefined {
  for (const prop of type.getProperties()) {
    const decls = prop.getDeclarations();
    const propPath = `${path}.${prop.getName()}`;
    if (decls.some((d) => (Node.isPropertyDeclaration(d) || Node.isMethodDeclaration(d) || Node.isGetAccessorDeclaration(d)) && Node.isPrivateIdentifier(d.getNameNode()))) {
      return { what: `a private field ${prop.getName()}`, path: propPath, hint: "a `#` field cannot be read by any encoding: use a TypeScript `private` field" };
    }
    if (isClass && decls.length > 0 && decls.every((d) => Node.isMethodDeclaration(d) || Node.isGetAccessorDeclaration(d) || Node.isSetAccessorDeclaration(d))) continue;
    const member = isClass ? undefined : decls.find((d) => shapeMembers(d.getParent()!).includes(d));
    if (member) {
      const verdict = literalVerdict(member.getParent()!);
      if ("refusal" in verdict) return { what: verdict.refusal, path: propPath, hint: SHAPE_HINT };
      // Its members are made again after the operation; what they capture travels with the object.
      const captured = first(verdict.shape.env.map((l) => () => (l.type ? walk(l.type, `${propPath} (captures ${l.name})`, w) : undefined)));
      if (captured) return captured;
      continue;
    }
    const bad = walk(typeOf(prop, w.at), propPath, w);
    if (bad) return bad;
  }
  const index = type.getStringIndexType() ?? type.getNumberIndexType();
  return index ? walk(index, `${path}[key]`, w) : undefined;
}

function typeOf(prop: MorphSymbol, at: Node): Type {
  return prop.getTypeAtLocation(at);
}

function first(checks: (() => Uncarriable | undefined)[]): Uncarriable | undefined {
  for (const check of checks) {
    const bad = check();
    if (bad) return bad;
  }
  return undefined;
}

function isError(type: Type): boolean {
  return type.getProperty("message") !== undefined && type.getProperty("name") !== undefined && type.getProperty("stack") !== undefined;
}

function isSdk(symbol: MorphSymbol): boolean {
  return symbol.getDeclarations().some((d) => d.getSourceFile().getFilePath().includes("/@aws/durable-execution-sdk-js/"));
}
