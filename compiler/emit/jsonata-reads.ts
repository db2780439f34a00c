import { expressionAst } from "../../asl/index.ts";

/**
 * The locals the compiled machine's own JSONata computes with (a loop's `$count($items)`, a
 * Choice's `$done`, a Succeed's `$result`...), read from the emitted definition. The fragments
 * keep such a local as plain JSON whenever its value is plain JSON by itself, even when it shares
 * objects with another local (that sharing is then not kept across the operation), so that the
 * machine never reads an encoded value (runtime/fragments/values.ts).
 * Handing a Variable to a fragment (`Payload.vars.x = $x`) or copying it to another one
 * (`Assign: {a: $b}`) only moves it; a copy read by JSONata makes its source read too.
 */
const COPY = /^\{%\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*%\}$/;

/** The Variables an expression reads, from JSONata's own parse: text inside string literals is not a read, a called function is not. */
function variablesOf(expression: string, into: Set<string>): void {
  const visit = (node: unknown, called = false): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n));
    if (node === null || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.type === "variable" && typeof n.value === "string" && n.value !== "" && n.value !== "states" && !called) into.add(n.value);
    for (const [key, child] of Object.entries(n)) if (typeof child === "object") visit(child, key === "procedure");
  };
  visit(expressionAst(expression));
}

export function localsReadByJsonata(definition: unknown): string[] {
  const reads = new Set<string>();
  const copies: [target: string, source: string][] = [];
  const visit = (node: unknown, path: string[]): void => {
    if (typeof node === "string") {
      const body = /^\{%([\s\S]*)%\}$/.exec(node)?.[1];
      if (body === undefined) return;
      const copy = COPY.exec(node)?.[1];
      const [key, parent, grand] = [path.at(-1), path.at(-2), path.at(-3)];
      if (copy && parent === "vars" && grand === "Payload") return;
      if (copy && parent === "Assign") return void copies.push([key!, copy]);
      variablesOf(body, reads);
      return;
    }
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, String(i)]));
    else if (node !== null && typeof node === "object") for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
  };
  visit(definition, []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [target, source] of copies) if (reads.has(target) && !reads.has(source)) grew = Boolean(reads.add(source));
  }
  return [...reads].sort();
}
