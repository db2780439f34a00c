import { Node } from "ts-morph";
import { withBindings } from "./jsonata-callbacks.ts";
import { operand, type CallTranslator, type T } from "./jsonata-term.ts";

/**
 * The body of an inlined project function (jsonata-calls.ts) that is a block of statements the
 * translation can follow: `const x = e;` (x stands for e's translation below it: e is pure, so
 * reading it at each use is reading it once), `if (c) throw ...;` (a guard that `c` is false: where
 * it is true, or its own guards fail, the fragment runs the call and throws as JavaScript does),
 * and a last `return e;`. The guards keep the order of the statements, so each may assume the
 * ones before it hold. Anything else (a `let`, a loop, an `else`, a second return) is left to code.
 */
export function blockJsonata(tr: CallTranslator, block: Node): T | undefined {
  if (!Node.isBlock(block)) return undefined;
  const statements = block.getStatements();
  const last = statements.at(-1);
  if (!last || !Node.isReturnStatement(last) || !last.getExpression()) return undefined;
  const guards: string[] = [];
  const names: Node[] = [];
  const values: T[] = [];
  const rest = (i: number): T | undefined => {
    if (i === statements.length - 1) {
      const t = tr.translate(last.getExpressionOrThrow());
      return t && { ...t, guards: [...guards, ...t.guards] };
    }
    const statement = statements[i]!;
    if (Node.isIfStatement(statement) && !statement.getElseStatement() && throwsOnly(statement.getThenStatement())) {
      const c = tr.condition(statement.getExpression());
      if (!c) return undefined;
      guards.push(...c.guards, `$not(${c.expr})`);
      return rest(i + 1);
    }
    if (!Node.isVariableStatement(statement) || statement.getDeclarationKind() !== "const") return undefined;
    for (const d of statement.getDeclarations()) {
      const init = d.getInitializer();
      const t = Node.isIdentifier(d.getNameNode()) && init ? tr.translate(init) : undefined;
      if (!t) return undefined;
      guards.push(...t.guards);
      names.push(d);
      values.push({ ...t, expr: operand(t), atom: true, guards: [] });
    }
    // The consts are bound for the statements after them only.
    return withBindings(tr, names.splice(0), values.splice(0), () => rest(i + 1));
  };
  return rest(0);
}

/** `throw e;` or a block of only that. */
function throwsOnly(node: Node): boolean {
  if (Node.isThrowStatement(node)) return true;
  return Node.isBlock(node) && node.getStatements().length === 1 && Node.isThrowStatement(node.getStatements()[0]!);
}
