import { Node, type Expression } from "ts-morph";
import { constInitializer, withoutTypeWrappers } from "./const-declarations.ts";

/**
 * `process.env.PAYMENT_FN` (or `process.env["PAYMENT_FN"]`, under `!` or `as string`, or through
 * a const that holds it): the name of the environment variable read, else undefined. Such a
 * value is configuration, fixed when the function is deployed: the machine gets it as a
 * definition substitution (emit/template.ts), and a local run from the scenario or the process.
 */
export function environmentRead(node: Expression | undefined): string | undefined {
  if (!node) return undefined;
  const e = withoutTypeWrappers(constInitializer(node));
  let key: string | undefined;
  let env: Node | undefined;
  if (Node.isPropertyAccessExpression(e)) [env, key] = [e.getExpression(), e.getName()];
  else if (Node.isElementAccessExpression(e)) {
    const arg = e.getArgumentExpression();
    if (arg && (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg))) [env, key] = [e.getExpression(), arg.getLiteralValue()];
  }
  if (!env || key === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return undefined;
  const inner = withoutTypeWrappers(env);
  if (!Node.isPropertyAccessExpression(inner) || inner.getName() !== "env") return undefined;
  const processNode = withoutTypeWrappers(inner.getExpression());
  return Node.isIdentifier(processNode) && processNode.getText() === "process" && isGlobal(processNode) ? key : undefined;
}

/** The `process` of Node.js, not a local of that name: declared only in type declarations, or not at all (JavaScript). */
function isGlobal(id: Node): boolean {
  const declarations = id.getSymbol()?.getDeclarations() ?? [];
  return declarations.every((d) => d.getSourceFile().isDeclarationFile());
}
