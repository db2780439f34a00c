import { Node, SyntaxKind } from "ts-morph";
import { isFunctionLike } from "../parse/durable-calls.ts";
import { closureDeclaration, closureRefusal } from "./closures-carried.ts";
import { handlerShapes, isPropertyName, isReassigned, reachedClosures, shapesOf, type Shape } from "./render.ts";
import type { Locals } from "./locals.ts";

/**
 * Object literals of handler code with methods, getters or setters (render.ts finds them: `Shape`)
 * cross a durable operation with their code: the fragments module holds a "maker" per literal that
 * creates its members again from their source over the locals they capture, which travel with the
 * object (runtime/fragments/shapes.ts). That is faithful when the members see the same bindings
 * after the operation as before: they read only `this`, their parameters, module bindings, and
 * locals never reassigned (and closures re-created on the same terms); otherwise it is refused.
 */

/** Why the members of `shape` cannot be made again with the same bindings, or undefined. */
export function shapeRefusal(shape: Shape): string | undefined {
  const computed = shape.members.flatMap((m) => m.node?.getChildrenOfKind(SyntaxKind.ComputedPropertyName) ?? [])[0];
  if (computed) return `a method with a computed name (${computed.getText()})`;
  const usesContext = shape.members.some((m) => m.node?.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => shape.locals.resolve(id)?.isContext));
  if (usesContext) return "a method using the durable context";
  const enclosing = enclosingBinding(shape);
  if (enclosing) return `a method reading \`${enclosing}\`, a binding of the function around the literal`;
  const written = [...shape.writes][0];
  if (written) return `a method assigning \`${written.name}\``;
  const reassigned = shape.env.find((l) => isReassigned(l));
  if (reassigned) return `a method reading \`${reassigned.name}\`, a local that is reassigned`;
  for (const closure of reachedClosures(shape.closures)) {
    const refused = closureRefusal(closure);
    if (refused) return `a method calling \`${closure.local.name}\`, which ${refused.why === "it assigns" ? `assigns \`${refused.captured.name}\`` : `captures \`${refused.captured.name}\`, which ${refused.why}`}`;
  }
  return undefined;
}

/**
 * A name the members read that is bound by a function around the literal but is no handler local
 * (a parameter of a closure or a step body that makes the literal): the maker, at the top of the
 * fragments module, cannot see it.
 */
function enclosingBinding(shape: Shape): string | undefined {
  for (const member of shape.members) {
    const node = member.node!;
    for (const id of node.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (isPropertyName(id) || shape.locals.resolve(id) || id.getAncestors().some((a) => Node.isTypeNode(a))) continue;
      const declaration = id.getSymbol()?.getDeclarations()[0];
      if (!declaration || declaration.getSourceFile() !== node.getSourceFile() || declaration.getAncestors().includes(node)) continue;
      if (declaration.getAncestors().some((a) => isFunctionLike(a)) || isFunctionLike(declaration)) {
        if (!Node.isSourceFile(declaration.getParent())) return id.getText();
      }
    }
  }
  return undefined;
}

/** Whether an object literal crosses with its methods (then its shape, to judge what the members capture), or why not. */
export function literalVerdict(literal: Node): { shape: Shape } | { refusal: string } {
  const [shape] = shapesOf(literal);
  if (!shape) return { refusal: "a method of an object literal made outside the handler's code" };
  const refusal = shapeRefusal(shape);
  return refusal ? { refusal } : { shape };
}

/** The maker of each shape of the handler that can cross, by site: its source text, for the fragments module. */
export function shapeMakers(locals: Locals): Record<string, string> {
  const out: Record<string, string> = {};
  for (const shape of handlerShapes(locals)) {
    if (shapeRefusal(shape)) continue;
    const lines = [`($d: any, $c: any) => {`];
    if (shape.env.length > 0) lines.push(`  const { ${shape.env.map((l) => l.id).join(", ")} } = $c;`);
    for (const closure of reachedClosures(shape.closures)) lines.push(`  ${closureDeclaration(closure)}`);
    lines.push(`  return {`, ...shape.members.map((m) => `    ${m.text},`), `  };`, `}`);
    out[shape.id] = lines.join("\n");
  }
  return out;
}
