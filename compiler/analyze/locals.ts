import { createHash } from "node:crypto";
import { Node, type Symbol as MorphSymbol, type Type } from "ts-morph";
import { isFunctionLike } from "../parse/durable-calls.ts";

/**
 * A local of the handler: a parameter, a declared variable, a catch binding, or a temporary the
 * compiler made. Each has a unique `id`, which is both its ASL Variable name and the name it has
 * inside fragments, so that locals of different scopes never collide.
 */
export interface Local {
  id: string;
  name: string;
  declaration?: Node;
  type?: Type;
  /** A catch binding is stored as the error record of its try and rebuilt as an Error in each fragment. */
  errorRecord?: Local;
  /** Holds the DurableContext itself: never carried, never read by fragments. */
  isContext?: boolean;
  /**
   * Which context it holds: 0 the handler's, each child context, map function and parallel branch
   * a number of its own. The SDK fails an operation called on any other context than the
   * innermost one ("Context usage error"), so the lowering compares it (lower/operations.ts).
   */
  contextScope?: number;
  /**
   * Never read with JSONata, for one of two reasons: what it holds is not what its type says (a
   * callback answered with nothing holds the undefined marker; a map or parallel result holds the
   * BatchResult marker: lower/operations.ts), or it shares an object with another local that is
   * changed in place, so the fragments encode them together and a JSONata copy would split them
   * (transform/selection.ts). Either way only fragments compute with it; it is still carried.
   */
  codeOnly?: boolean;
  /** Holds the BatchResult marker of a map or parallel (lower/operations.ts): JSONata reads its members (transform/jsonata-batch.ts), under a guard. */
  batch?: boolean;
  /** Holds a callback's answer and nothing else: a string, or the undefined marker for an empty one (lower/callback-answer.ts). */
  callbackAnswer?: boolean;
}

/**
 * Ids that a local may not take: the compiler's own Variables, and the functions of JSONata and
 * of Step Functions (`$partition`, `$uuid`, ...). An ASL Variable `not` would shadow `$not`, so a
 * local called `not`, `count` or `lookup` breaks the expressions that call those functions.
 */
const RESERVED = new Set([
  "states", "caught", "uncaught",
  ..."sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean not map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle distinct base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis".split(" "),
  ..."partition range hash uuid parse".split(" "),
]);
export const RESERVED_IDS: ReadonlySet<string> = RESERVED;

/** ASL Variable names have at most 80 characters; room is kept for a `_<n>` clash suffix. */
const MAX_ID = 72;

/** A long name keeps its readable start and ends with a hash of the whole name: deterministic, and distinct names stay distinct. */
function shortened(id: string, name: string): string {
  if (id.length <= MAX_ID) return id;
  return `${id.slice(0, MAX_ID - 9)}_${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

/**
 * A property, method or accessor of an object literal or class written in the handler: its name is
 * a key, not a local (`{ get count() {...} }` read as a local `count` became an ASL Variable the
 * machine never assigned).
 */
function isMember(declaration: Node): boolean {
  return (
    Node.isPropertyAssignment(declaration) ||
    Node.isMethodDeclaration(declaration) ||
    Node.isGetAccessorDeclaration(declaration) ||
    Node.isSetAccessorDeclaration(declaration) ||
    Node.isPropertyDeclaration(declaration) ||
    Node.isPropertySignature(declaration) ||
    Node.isMethodSignature(declaration) ||
    Node.isEnumMember(declaration)
  );
}

export class Locals {
  private readonly bySymbol = new Map<MorphSymbol, Local>();
  private readonly ids = new Set<string>();
  readonly all: Local[] = [];

  /** The handler, and the helpers inlined into it: their locals are all locals of the state machine. */
  private readonly roots = new Set<Node>();
  /** Async helpers taking the context: one function, inlined into any number of ASL scopes. */
  private readonly helpers = new Set<Node>();
  /**
   * A helper's locals, per ASL scope (the handler, each map function and parallel branch): an inner
   * scope may neither assign nor shadow an outer scope's Variable, so a helper inlined both in the
   * handler and in a branch gets a Variable of each name per scope. `undefined` is the handler's.
   */
  private readonly perScope = new Map<object | undefined, Map<MorphSymbol, Local>>();
  private scope: object | undefined;

  constructor(handlerFn: Node) {
    this.roots.add(handlerFn);
  }

  /** An async helper inlined into the handler: its parameters and locals become handler locals. */
  addInlinedFunction(fn: Node, helper = false): void {
    this.roots.add(fn);
    if (helper) this.helpers.add(fn);
  }

  /**
   * Runs `body` with identifiers of helpers resolving to the locals of ASL scope `scope` (a Cfg's
   * `scope`): the lowering of a branch and the building of its states both run inside it.
   */
  inScope<T>(scope: object | undefined, body: () => T): T {
    const saved = this.scope;
    this.scope = scope;
    try {
      return body();
    } finally {
      this.scope = saved;
    }
  }

  /** The ASL scope in force (a promise combinator's element runs in its caller's). */
  get currentScope(): object | undefined {
    return this.scope;
  }

  /** The handler local an identifier refers to, if it refers to one. */
  resolve(identifier: Node): Local | undefined {
    const symbol = this.symbolOf(identifier);
    if (!symbol) return undefined;
    const declaration = symbol.getDeclarations().find((d) => !isMember(d) && this.isHandlerLevel(d));
    const table = declaration && this.inHelper(declaration) ? this.scopeTable() : this.bySymbol;
    const existing = table.get(symbol);
    if (existing) return existing;
    if (!declaration) return undefined;
    const local = this.add(symbol.getName(), declaration);
    table.set(symbol, local);
    return local;
  }

  private scopeTable(): Map<MorphSymbol, Local> {
    let table = this.perScope.get(this.scope);
    if (!table) this.perScope.set(this.scope, (table = new Map()));
    return table;
  }

  private inHelper(declaration: Node): boolean {
    return declaration.getAncestors().some((a) => this.helpers.has(a));
  }

  /** A temporary the compiler needs (loop index, op result before destructuring, ...). */
  temporary(hint: string): Local {
    return this.add(hint);
  }

  private symbolOf(identifier: Node): MorphSymbol | undefined {
    const parent = identifier.getParent();
    if (parent && Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === identifier) {
      return parent.getValueSymbol?.() ?? identifier.getSymbol();
    }
    return identifier.getSymbol();
  }

  /** Declared in the handler's (or an inlined helper's) own scope chain, not inside a nested function. */
  private isHandlerLevel(declaration: Node): boolean {
    let node: Node | undefined = declaration.getParent();
    while (node) {
      if (this.roots.has(node)) return true;
      if (isFunctionLike(node)) return false;
      node = node.getParent();
    }
    return false;
  }

  private add(name: string, declaration?: Node): Local {
    const base = shortened(name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_") || "v", name);
    let id = RESERVED.has(base) ? `${base}_1` : base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    this.ids.add(id);
    const local: Local = { id, name, declaration, type: declaration?.getType() };
    this.all.push(local);
    return local;
  }
}
