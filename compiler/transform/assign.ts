import { Node, SyntaxKind } from "ts-morph";
import type { Local, Locals } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";
import { UNDEFINED_MARKER_KEY } from "../../protocol/index.ts";
import { toJsonata } from "./jsonata.ts";

/**
 * Code made only of simple assignments (`const x = 1`, `total = total + n`, `i++`) needs no
 * Lambda invocation: a Pass state's Assign does the same, exactly. Every Assign expression sees
 * the values from state entry, so a statement may not read what an earlier one of the block set.
 * Returns the Assign map for the locals that are live afterwards, or undefined when any piece
 * is not of that kind.
 */
export function assignmentsOf(pieces: CodePiece[], locals: Locals, liveOut: Set<Local>): Record<string, string> | undefined {
  const assigned = new Map<Local, string>();
  for (const piece of pieces) {
    const node = piece.node;
    if (!node) return undefined;
    if ([...piece.reads].some((l) => assigned.has(l))) return undefined;
    const entries = assignmentsOfStatement(node, locals);
    if (!entries) return undefined;
    for (const [local, value] of entries) assigned.set(local, value);
  }
  const out: Record<string, string> = {};
  for (const [local, value] of assigned) if (liveOut.has(local)) out[local.id] = value;
  return out;
}

function assignmentsOfStatement(node: Node, locals: Locals): [Local, string][] | undefined {
  if (Node.isVariableStatement(node)) {
    const out: [Local, string][] = [];
    for (const decl of node.getDeclarations()) {
      const name = decl.getNameNode();
      const local = Node.isIdentifier(name) ? locals.resolve(name) : undefined;
      if (!local) return undefined;
      const init = decl.getInitializer();
      const value = init ? toJsonata(init, locals) : `{"${UNDEFINED_MARKER_KEY}": true}`;
      if (!value) return undefined;
      out.push([local, wrap(value)]);
    }
    return out;
  }
  if (!Node.isExpressionStatement(node)) return undefined;
  const e = node.getExpression();
  if (Node.isBinaryExpression(e)) {
    const left = e.getLeft();
    const local = Node.isIdentifier(left) ? locals.resolve(left) : undefined;
    if (!local) return undefined;
    const op = e.getOperatorToken().getKind();
    if (op === SyntaxKind.EqualsToken) {
      const value = toJsonata(e.getRight(), locals);
      return value ? [[local, wrap(value)]] : undefined;
    }
    if (op === SyntaxKind.PlusEqualsToken || op === SyntaxKind.MinusEqualsToken) {
      // `x += y` is `x = x + y`: reuse the binary translation, which checks the types.
      const current = toJsonata(left, locals);
      const right = toJsonata(e.getRight(), locals);
      const leftType = left.getType();
      const rightType = e.getRight().getType();
      const numbers = (leftType.isNumber() || leftType.isNumberLiteral()) && (rightType.isNumber() || rightType.isNumberLiteral());
      const strings = (leftType.isString() || leftType.isStringLiteral()) && (rightType.isString() || rightType.isStringLiteral());
      if (!current || !right || !(numbers || strings)) return undefined;
      const operator = op === SyntaxKind.MinusEqualsToken ? (numbers ? "-" : undefined) : numbers ? "+" : "&";
      return operator ? [[local, wrap(`${current} ${operator} (${right})`)]] : undefined;
    }
    return undefined;
  }
  if (Node.isPostfixUnaryExpression(e) || Node.isPrefixUnaryExpression(e)) {
    const operand = e.getOperand();
    const local = Node.isIdentifier(operand) ? locals.resolve(operand) : undefined;
    const type = operand.getType();
    const token = e.getOperatorToken();
    if (!local || !(type.isNumber() || type.isNumberLiteral())) return undefined;
    if (token === SyntaxKind.PlusPlusToken) return [[local, wrap(`$${local.id} + 1`)]];
    if (token === SyntaxKind.MinusMinusToken) return [[local, wrap(`$${local.id} - 1`)]];
  }
  return undefined;
}

function wrap(jsonata: string): string {
  return `{% ${jsonata} %}`;
}
