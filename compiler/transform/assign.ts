import { Node, SyntaxKind } from "ts-morph";
import type { Local, Locals } from "../analyze/locals.ts";
import type { CodePiece, LoopStep } from "../analyze/render.ts";
import { UNDEFINED_MARKER_KEY } from "../../protocol/index.ts";
import { assignedJsonata, compoundJsonata, conditionJsonata, elementsJsonata, expression, iteratedJsonata, joinGuards, pushJsonata, type Exact } from "./jsonata.ts";

/**
 * Code made only of simple assignments (`const x = 1`, `total = total + n`, `i++`) needs no
 * Lambda invocation: a Pass state's Assign does the same, exactly. Every Assign expression sees
 * the values from state entry, so a statement may not read what an earlier one of the block set.
 * Returns the Assign map for the locals that are live afterwards, and the guard (jsonata.ts)
 * under which all of it is exact, or undefined when any piece is not of that kind.
 */
export function assignmentsOf(pieces: CodePiece[], locals: Locals, liveOut: Set<Local>): { assign: Record<string, string>; guard?: string; guards?: string[] } | undefined {
  const assigned = new Map<Local, Exact>();
  // In statement order, each term assuming the earlier ones hold. A value nobody reads (or that a
  // later statement replaces) is not assigned, but its guard still holds: JavaScript evaluates
  // the initialiser all the same, and where it would throw (`event.items.length` with no items)
  // the guard sends the code to the fragment that throws it.
  const guards: string[] = [];
  for (const piece of pieces) {
    // An `if` that sets a local in one branch only keeps its value in the other: it reads it.
    const conditional = piece.node !== undefined && Node.isIfStatement(piece.node);
    const entries = piece.loopStep ? loopAssignments(piece.loopStep, locals) : piece.node && assignmentsOfStatement(piece.node, locals);
    if (!entries) return undefined;
    // Every Assign sees the values at state entry: what an earlier statement set is bound again
    // inside the expressions (and guards) that read it, `($x := <its value>; ...)`.
    const earlier = [...piece.reads, ...(conditional ? piece.writes : [])].filter((l) => assigned.has(l));
    const bindings = earlier.map((l) => `$${l.id} := ${assigned.get(l)!.jsonata}; `).join("");
    const bind = (e: string) => (bindings === "" ? e : `(${bindings}${e})`);
    for (const [local, value] of entries) {
      guards.push(...(value.guards ?? []).map(bind));
      assigned.set(local, { jsonata: bind(value.jsonata) });
    }
  }
  const assign: Record<string, string> = {};
  for (const [local, value] of assigned) if (liveOut.has(local)) assign[local.id] = expression(value.jsonata);
  const guard = joinGuards(guards);
  return guard === undefined ? { assign } : { assign, guard, guards: [...new Set(guards)] };
}

/**
 * `if (c) { ... } else { ... }` whose branches are simple assignments (no declaration): each
 * local either branch sets becomes `c ? then : else`, the branch that does not set it keeping
 * its value. A branch may not read what it set before, as in a block.
 */
function conditionalAssignments(node: Node & { getExpression(): Node; getThenStatement(): Node; getElseStatement(): Node | undefined }, locals: Locals): [Local, Exact][] | undefined {
  const condition = conditionJsonata(node.getExpression(), locals);
  const branch = (statement: Node | undefined): Map<Local, Exact> | undefined => {
    const out = new Map<Local, Exact>();
    const statements = statement === undefined ? [] : Node.isBlock(statement) ? statement.getStatements() : [statement];
    for (const s of statements) {
      if (Node.isVariableStatement(s)) return undefined;
      const entries = assignmentsOfStatement(s, locals);
      if (!entries || s.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => { const l = locals.resolve(id); return l !== undefined && out.has(l); })) return undefined;
      for (const [local, value] of entries) out.set(local, value);
    }
    return out;
  };
  const [then, otherwise] = [branch(node.getThenStatement()), branch(node.getElseStatement())];
  if (!condition || !then || !otherwise) return undefined;
  const out: [Local, Exact][] = [];
  for (const local of new Set([...then.keys(), ...otherwise.keys()])) {
    const [a, b] = [then.get(local), otherwise.get(local)];
    // The branch that does not set it reads it: never a local whose objects are shared (encoded together).
    if ((!a || !b) && local.codeOnly) return undefined;
    const guards = [...(condition.guards ?? []), ...(a?.guards ?? []), ...(b?.guards ?? [])];
    const jsonata = `(${condition.jsonata} ? ${a?.jsonata ?? `$${local.id}`} : ${b?.jsonata ?? `$${local.id}`})`;
    out.push([local, { jsonata, ...(guards.length > 0 ? { guard: joinGuards(guards), guards: [...new Set(guards)] } : {}) }]);
  }
  return out;
}

/** A for…of's own steps: take the array, read the item at the index, count on (the index is always a number the compiler set). */
function loopAssignments(step: LoopStep, locals: Locals): [Local, Exact][] | undefined {
  // The items share their elements with the iterated array and the item (`item.seen = 1` shows
  // in the array): where such sharing is changed in place, the locals are code only (selection.ts).
  if (step.step !== "next" && (step.items.codeOnly || (step.step === "item" && step.target.codeOnly))) return undefined;
  switch (step.step) {
    case "start": {
      const items = iteratedJsonata(step.source, locals);
      return items && [[step.items, items], [step.index, { jsonata: "0" }]];
    }
    case "item":
      // The loop's test (`$index < $count($items)`) holds here; the items may be an encoded value from a fragment.
      return [[step.target, { jsonata: `$${step.items.id}[$${step.index.id}]`, guard: `$type($${step.items.id}) = "array"`, guards: [`$type($${step.items.id}) = "array"`] }]];
    case "next":
      return [[step.index, { jsonata: `$${step.index.id} + 1` }]];
  }
}

/** `const [a, , b] = value`: plain names and holes only (a default, a rest or a nested pattern is left to fragments). */
function destructured(pattern: Node & { getElements(): Node[] }, init: Node | undefined, locals: Locals): [Local, Exact][] | undefined {
  const elements = pattern.getElements();
  const values = init && elementsJsonata(init, elements.length, locals);
  if (!values) return undefined;
  const out: [Local, Exact][] = [];
  for (const [i, element] of elements.entries()) {
    if (Node.isOmittedExpression(element)) continue;
    if (!Node.isBindingElement(element) || element.getDotDotDotToken() || element.getInitializer()) return undefined;
    const name = element.getNameNode();
    const local = Node.isIdentifier(name) ? locals.resolve(name) : undefined;
    if (!local) return undefined;
    out.push([local, values[i]!]);
  }
  // Only holes: the value's guard would have nothing to ride on.
  return out.length > 0 ? out : undefined;
}

function assignmentsOfStatement(node: Node, locals: Locals): [Local, Exact][] | undefined {
  if (Node.isIfStatement(node)) return conditionalAssignments(node, locals);
  if (Node.isVariableStatement(node)) {
    const out: [Local, Exact][] = [];
    for (const decl of node.getDeclarations()) {
      const name = decl.getNameNode();
      if (Node.isArrayBindingPattern(name)) {
        const elements = destructured(name, decl.getInitializer(), locals);
        if (!elements) return undefined;
        out.push(...elements);
        continue;
      }
      const local = Node.isIdentifier(name) ? locals.resolve(name) : undefined;
      if (!local) return undefined;
      const init = decl.getInitializer();
      const value = init ? assignedJsonata(init, locals) : { jsonata: `{"${UNDEFINED_MARKER_KEY}": true}` };
      if (!value) return undefined;
      out.push([local, value]);
    }
    return out;
  }
  if (!Node.isExpressionStatement(node)) return undefined;
  const e = node.getExpression();
  if (Node.isCallExpression(e)) {
    const callee = e.getExpression();
    const list = Node.isPropertyAccessExpression(callee) && !callee.hasQuestionDotToken() && callee.getName() === "push" ? callee.getExpression() : undefined;
    const local = list && Node.isIdentifier(list) ? locals.resolve(list) : undefined;
    const value = local && pushJsonata(list!, e.getArguments(), locals);
    return value ? [[local!, value]] : undefined;
  }
  if (Node.isBinaryExpression(e)) {
    const left = e.getLeft();
    const local = Node.isIdentifier(left) ? locals.resolve(left) : undefined;
    if (!local) return undefined;
    const op = e.getOperatorToken().getKind();
    if (op === SyntaxKind.EqualsToken) {
      const value = assignedJsonata(e.getRight(), locals);
      return value ? [[local, value]] : undefined;
    }
    // `x += y` is `x = x + y`: the binary translation, with its guards.
    if (op === SyntaxKind.PlusEqualsToken || op === SyntaxKind.MinusEqualsToken) {
      const value = compoundJsonata(left, op === SyntaxKind.PlusEqualsToken ? "+" : "-", e.getRight(), locals);
      return value ? [[local, value]] : undefined;
    }
    return undefined;
  }
  if (Node.isPostfixUnaryExpression(e) || Node.isPrefixUnaryExpression(e)) {
    const operand = e.getOperand();
    const local = Node.isIdentifier(operand) ? locals.resolve(operand) : undefined;
    const token = e.getOperatorToken();
    if (!local || (token !== SyntaxKind.PlusPlusToken && token !== SyntaxKind.MinusMinusToken)) return undefined;
    // `x++` on a number is `x + 1`; on anything else JavaScript converts it first, which a fragment does.
    const value = compoundJsonata(operand, token === SyntaxKind.PlusPlusToken ? "+" : "-", 1, locals, false);
    return value ? [[local, value]] : undefined;
  }
  return undefined;
}
