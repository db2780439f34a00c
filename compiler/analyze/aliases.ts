import { Node, SyntaxKind, type Type } from "ts-morph";
import type { Block } from "../lower/cfg.ts";
import type { Local, Locals } from "./locals.ts";
import { identityReads } from "./identity-reads.ts";
import { isPureCall, makesNew, possibleMutations, rootLocal } from "./mutations.ts";
import { isPrimitiveType, isPropertyName, type CodePiece } from "./render.ts";
import { objectTypesOf, overlaps, reachOf, type Reach } from "./type-reach.ts";

/**
 * Which locals of a handler may hold the same object (`const first = list[0]`), and which of
 * those objects the handler's code may change in place (`first.ok = true`). Static and
 * conservative: a union of every object local a statement declares or assigns with every object
 * local whose value can flow into it; results of durable operations are copies under the SDK
 * (checkpointed JSON) and alias nothing. Step bodies are not code of the handler here: they may
 * not change the handler's objects at all (closures.ts refuses it).
 *
 * Only a class that is both shared and changed in place (or compared by identity:
 * identity-reads.ts) needs care: a copy of an object nobody changes or compares cannot be told
 * from the object. The members of such a class (`shared`) travel together
 * (selection.ts: every fragment that carries one carries and writes back all that are live, so
 * the run-time encoding keeps them one object) and are never read by JSONata (a copy).
 */
export class Aliases {
  private readonly parent = new Map<Local, Local>();
  /** Each possible change in place: the local it goes through, and the object types it may touch. */
  private readonly changes: { root: Local; touches: Reach }[] = [];
  /** The locals that must travel together, by class root. */
  private readonly shared = new Map<Local, Local[]>();

  constructor(blocks: Iterable<Block>, locals: Locals) {
    for (const block of blocks) {
      for (const piece of block.code) {
        this.linkPiece(piece, locals);
        for (const m of piece.node ? possibleMutations(piece.node, locals) : []) {
          this.add(m.root);
          const type = m.target.getType();
          this.changes.push({ root: m.root, touches: m.deep ? reachOf(type, m.target) : objectTypesOf(type) });
        }
        // Telling two objects apart by identity sees a copy as surely as a change in place does.
        for (const r of piece.node ? identityReads(piece.node, locals) : []) {
          this.add(r.root);
          this.changes.push({ root: r.root, touches: objectTypesOf(r.target.getType()) });
        }
      }
    }
    // Within a class, a change is seen through the members whose type can reach what it touches.
    const reach = new Map([...this.parent.keys()].map((l) => [l, l.declaration ? reachOf(l.type, l.declaration) : ("anything" as const)]));
    for (const { root, touches } of this.changes) {
      const cls = this.find(root);
      const seeing = [...this.parent.keys()].filter((l) => this.find(l) === cls && overlaps(reach.get(l)!, touches));
      if (seeing.length < 2) continue;
      this.shared.set(cls, [...new Set([...(this.shared.get(cls) ?? []), ...seeing])]);
    }
  }

  /** The locals that share objects with `local` that the handler may change in place (itself included), or none. */
  sharedWith(local: Local): Local[] {
    if (!this.parent.has(local)) return [];
    const members = this.shared.get(this.find(local)) ?? [];
    return members.includes(local) ? members : [];
  }

  /** Every local that shares an object changed in place. */
  allShared(): Local[] {
    return [...this.shared.values()].flat();
  }

  /** A statement that declares or assigns object locals: they may now hold what flows in from the others it reads. */
  private linkPiece(piece: CodePiece, locals: Locals): void {
    const targets = [...piece.declares, ...piece.writes].filter(isObjectLocal);
    const sources = piece.node ? flowingReads(piece.node, locals) : [...piece.reads].filter(isObjectLocal);
    // A property write or a push stores one object inside another: `wrapper.inner = list`.
    const stored = piece.node ? storingReads(piece.node, locals) : [];
    for (const group of [[...targets, ...sources], stored]) {
      for (const l of group) this.add(l);
      for (let i = 1; i < group.length; i++) this.union(group[0], group[i]);
    }
    if (targets.length === 0) for (const l of sources) this.add(l);
  }

  private add(l: Local): void {
    if (!this.parent.has(l)) this.parent.set(l, l);
  }

  private find(l: Local): Local {
    let r = l;
    while (this.parent.get(r)! !== r) r = this.parent.get(r)!;
    this.parent.set(l, r);
    return r;
  }

  private union(a: Local, b: Local): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** May hold an object: not the context, not an error record (rebuilt in each fragment), not of a primitive type. Temporaries have no type: counted. */
function isObjectLocal(l: Local): boolean {
  return !l.isContext && !l.errorRecord && !isPrimitiveType(l.type);
}

/** The object local an identifier stands for, if any; a callback's parameter stands for the receiver of its method (mutations.ts). */
function objectLocal(id: Node, locals: Locals): Local | undefined {
  if (isPropertyName(id)) return undefined;
  const local = rootLocal(id, locals);
  return local && isObjectLocal(local) ? local : undefined;
}

/**
 * Object locals read by the statement whose object can reach the value being computed: `list`
 * in `const first = list[0]`, not in `const n = list.length` or `const o = { n: list.length }`
 * (a primitive on the way holds no reference).
 */
function flowingReads(node: Node, locals: Locals): Local[] {
  const out = new Set<Local>();
  for (const id of node.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const local = objectLocal(id, locals);
    if (local && !out.has(local) && !primitiveOnTheWay(id, node)) out.add(local);
  }
  return [...out];
}

/** The objects a property write or a call that may change its receiver or arguments puts together (`wrapper.inner = list`, `all.push(item)`). */
function storingReads(node: Node, locals: Locals): Local[] {
  const out = new Set<Local>();
  for (const n of node.getDescendants()) {
    const stores = (Node.isBinaryExpression(n) && isPropertyTarget(n.getLeft())) || (Node.isCallExpression(n) && !isPureCall(n, locals));
    if (!stores) continue;
    for (const id of n.getDescendantsOfKind(SyntaxKind.Identifier)) {
      const local = objectLocal(id, locals);
      if (local && !primitiveOnTheWay(id, n)) out.add(local);
    }
  }
  return out.size > 1 ? [...out] : [];
}

function isPropertyTarget(left: Node): boolean {
  return Node.isPropertyAccessExpression(left) || Node.isElementAccessExpression(left);
}

/** Is a primitive value computed between the identifier and `top`? Then no reference to its object gets past it. */
function primitiveOnTheWay(id: Node, top: Node): boolean {
  for (let n: Node | undefined = id.getParent(); n && n !== top.getParent(); n = n.getParent()) {
    if (n !== top && (Node.isStatement(n) || Node.isVariableDeclaration(n))) break;
    if (Node.isExpression(n) && isPrimitiveType(n.getType())) return true;
    if (Node.isCallExpression(n) && makesNew(n) && holdsOnlyPrimitives(n.getType())) return true;
  }
  return false;
}

/** A new `number[]` or `Record<string, string>` holds no reference to any other object. */
function holdsOnlyPrimitives(type: Type): boolean {
  if (isPrimitiveType(type)) return true;
  const element = type.getArrayElementType() ?? type.getStringIndexType();
  if (element) return holdsOnlyPrimitives(element);
  if (type.isTuple()) return type.getTupleElements().every(holdsOnlyPrimitives);
  return false;
}
