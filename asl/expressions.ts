import jsonata from "jsonata";

/**
 * What the definition checks need to know of JSONata fields (AWS docs, "Transforming data with
 * JSONata"): which strings are expressions and which variables an expression reads. The emulator
 * evaluates them (runtime/emulator/expressions.ts) and uses the same two functions.
 */

/** A string that starts with `{%` and ends with `%}` is an expression; every other value is a literal. */
export function isExpressionString(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("{%") && value.endsWith("%}") && value.length >= 4;
}

interface AstNode {
  type?: string;
  value?: unknown;
  focus?: string;
  index?: string;
  [key: string]: unknown;
}

/**
 * Names referenced as `$name` and not bound inside the expression (`:=`, lambda parameters,
 * `@$x` / `#$i` path bindings). `$` and `$$` (the context) and `$states` are excluded.
 */
export function freeVariablesOf(ast: unknown): string[] {
  const referenced = new Set<string>();
  const bound = new Set<string>(["", "$", "states"]);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const n = node as AstNode;
    if (n.type === "variable" && typeof n.value === "string") referenced.add(n.value);
    if (n.type === "bind") {
      const lhs = n.lhs as AstNode | undefined;
      if (lhs && typeof lhs.value === "string") bound.add(lhs.value);
    }
    if (n.type === "lambda" && Array.isArray(n.arguments)) {
      for (const arg of n.arguments as AstNode[]) if (typeof arg.value === "string") bound.add(arg.value);
    }
    if (typeof n.focus === "string") bound.add(n.focus);
    if (typeof n.index === "string") bound.add(n.index);
    for (const key of Object.keys(n)) if (key !== "value") visit(n[key]);
  };
  visit(ast);
  return [...referenced].filter((name) => !bound.has(name));
}

/** Every `$name` an expression (`{% ... %}`) reads from outside itself (for the definition checks). */
export function variablesReadBy(source: string): string[] {
  return freeVariablesOf(expressionAst(source.slice(2, -2)));
}

/**
 * JSONata's syntax tree of an expression body, parsed once per distinct text and shared: the
 * compile reads each expression several times (the optimizer's folds, the locals JSONata reads,
 * the scope checks), about eight parses per distinct expression of a handler before this. Callers
 * only read the tree. A syntax error is thrown again, the same error each time.
 */
export function expressionAst(body: string): unknown {
  let parsed = astByBody.get(body);
  if (!parsed) {
    try {
      parsed = { ast: jsonata(body).ast() };
    } catch (error) {
      parsed = { error };
    }
    if (astByBody.size >= AST_CACHE_SIZE) astByBody.clear();
    astByBody.set(body, parsed);
  }
  if ("error" in parsed) throw parsed.error;
  return parsed.ast;
}

const astByBody = new Map<string, { ast: unknown } | { error: unknown }>();
const AST_CACHE_SIZE = 10_000;
