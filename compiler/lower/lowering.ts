import { Node, type ArrowFunction, type CallExpression, type Expression, type FunctionDeclaration, type FunctionExpression, type Statement } from "ts-morph";
import type { DurableCall } from "../parse/durable-calls.ts";
import type { HandlerDecl } from "../parse/handlers.ts";
import { knownString } from "../parse/known-values.ts";
import { refuseOuterWrites } from "../analyze/branch-writes.ts";
import type { Local, Locals } from "../analyze/locals.ts";
import * as refuse from "../analyze/refusals.ts";
import { emptyPiece, renderCode, type CodePiece } from "../analyze/render.ts";
import type { Block, Cfg, ChildContext, Terminator, TryHandler, ValueExpr } from "./cfg.ts";
import type { Awaited, BranchFunction, Counters, FinallyScope, HelperFunction, JumpScope, Lowering, ReturnScope } from "./context.ts";
import { lowerReturn } from "./jumps.ts";
import type { PendingCallback } from "./pending-types.ts";
import { refuseUnconsumed, type PendingOp } from "./pending.ts";
import { emitAwaited } from "./operations.ts";
import { lowerStatement, lowerStatements } from "./statements.ts";

/**
 * The lowering of one function body (the handler, a map function, a parallel branch, or one
 * element of a promise combinator) into a control-flow graph (cfg.ts). This file holds the
 * state the statement lowerings share (statements.ts dispatches to one file per statement
 * kind) and the block primitives. Invariants every lowering keeps:
 * - `cur` is the open block code is appended to; a lowering leaves it open for what follows.
 * - A block gets its try handler and child context when created, from the ones in force then.
 * - After a terminator that does not fall through (return, rethrow, jump), `seal` opens a fresh
 *   block: the code after it is unreachable and lands there, never in a live block.
 */

/** Builds the control-flow graph of a handler body (see cfg.ts). */
export function buildCfg(handler: HandlerDecl, locals: Locals): Cfg {
  return new GraphLowering(handler.fn, locals, { child: 0, condition: 0, scope: 0 }).build();
}

class GraphLowering implements Lowering {
  readonly blocks: Block[] = [];
  cur!: Block;
  tryHandler?: TryHandler;
  /** The break and continue targets in force, innermost last (jumps.ts). */
  jumps: JumpScope[] = [];
  /** The finally bodies a jump or return leaves run, innermost last. */
  finallies: FinallyScope[] = [];
  tryCount = 0;
  /** Inlined helpers being lowered, innermost last: where their `return` goes. */
  readonly returns: ReturnScope[] = [];
  readonly inlining: HelperFunction[] = [];
  childContext?: ChildContext;
  /** One error record per catch clause or finally block (try.ts). */
  readonly records = new Map<Node, Local>();
  readonly helpers = new Set<HelperFunction>();
  readonly pending = new Map<Local, PendingOp>();

  constructor(
    readonly fn: BranchFunction,
    readonly locals: Locals,
    readonly counters: Counters,
    public contextScope = 0,
    readonly parent?: Lowering,
  ) {}

  /** A lowering of another function, numbering its contexts and conditions with this one. */
  fork(fn: BranchFunction): Lowering {
    return new GraphLowering(fn, this.locals, this.counters, this.contextScope, this);
  }

  build(): Cfg {
    const [eventParam, contextParam] = this.fn.getParameters();
    const event = eventParam ? this.locals.resolve(eventParam.getNameNode()) : undefined;
    refuse.refuseEventPattern(eventParam);
    if (contextParam) {
      const context = this.locals.resolve(contextParam.getNameNode());
      if (context) {
        context.isContext = true;
        context.contextScope = this.contextScope;
      }
    }
    return { ...this.lowerBody(), params: { event } };
  }

  private lowerBody(): { entry: Block; blocks: Block[] } {
    const entry = this.newBlock(this.fn);
    this.cur = entry;
    const body = this.fn.getBody();
    if (Node.isBlock(body)) this.statements(body.getStatements());
    else if (body) lowerReturn(this, body as Expression, body);
    if (this.cur.term.kind === "open") this.seal({ kind: "return" });
    refuseUnconsumed(this);
    return { entry, blocks: this.blocks };
  }

  /**
   * A map function `(ctx, item, index) => ...` or a parallel branch `(ctx) => ...`, lowered as a
   * graph of its own that runs in `context`. It may read the handler's locals but not assign
   * them: each iteration is an ASL scope of its own (and under the SDK, a concurrent one).
   */
  /** `mapper`: a parallel branch built by `items.map(mapper)`, whose parameters are the item and the index. */
  buildBranch(context: ChildContext, kind: "map" | "parallel", mapper?: BranchFunction): Cfg {
    return this.locals.inScope(this, () => this.branchCfg(context, kind, mapper));
  }

  private branchCfg(context: ChildContext, kind: "map" | "parallel", mapper?: BranchFunction): Cfg {
    const [contextParam, ownItem, ownIndex] = this.fn.getParameters();
    refuse.refuseBranchParameters(this.fn.getParameters(), kind);
    const [itemParam, indexParam] = mapper ? mapper.getParameters() : [ownItem, ownIndex];
    this.contextScope = ++this.counters.scope;
    if (contextParam) Object.assign(this.locals.resolve(contextParam.getNameNode())!, { isContext: true, contextScope: this.contextScope });
    const item = itemParam ? this.locals.resolve(itemParam.getNameNode()) : undefined;
    const index = indexParam ? this.locals.resolve(indexParam.getNameNode()) : undefined;
    this.childContext = context;
    const cfg = { ...this.lowerBody(), params: { item, index }, scope: this };
    refuseOuterWrites(cfg, [this.fn, ...(mapper ? [mapper] : []), ...this.helpers], kind, this.locals);
    return cfg;
  }

  /**
   * One element of `promise.all([...])`: the operation alone, its result returned. It runs in the
   * same context as the combinator's caller (its record is a sibling there, as under the SDK).
   */
  buildOperationBranch(call: DurableCall, context: ChildContext | undefined): Cfg {
    this.childContext = context;
    const entry = this.newBlock(call.call);
    this.cur = entry;
    if (call.method === "wait") {
      this.emitAwaited({ kind: "operation", call }, undefined, call.call);
      this.seal({ kind: "return" });
    } else {
      const result = this.locals.temporary("settled");
      this.emitAwaited({ kind: "operation", call }, result, call.call, "const");
      // The result as stored (markers for undefined and errors included): fragments decode it.
      // A child context's result is set by the code that ends its body: a fragment returns it.
      const jsonata = call.method === "runInChildContext" ? {} : { jsonata: `$${result.id}` };
      this.seal({ kind: "return", value: { node: call.call, piece: this.synthetic(result.id, [result]), opaque: true, ...jsonata } });
    }
    return { entry, blocks: this.blocks, params: {}, scope: this.locals.currentScope };
  }

  /**
   * A createCallback's promise in `promise.all([...])`: the Task at its await alone, the answer
   * returned. The callback was created before, where createCallback ran (its marker state).
   */
  buildCallbackBranch(callback: PendingCallback, context: ChildContext | undefined): Cfg {
    this.childContext = context;
    const call = callback.call.call;
    const entry = this.newBlock(call);
    this.cur = entry;
    const result = this.locals.temporary("settled");
    this.emitAwaited({ kind: "callback", callback }, result, call, "const");
    this.seal({ kind: "return", value: { node: call, piece: this.synthetic(result.id, [result]), opaque: true, jsonata: `$${result.id}` } });
    return { entry, blocks: this.blocks, params: {}, scope: this.locals.currentScope };
  }

  // ---- the recursion points: the statement dispatcher, and durable calls ---------------------

  statements(statements: Statement[]): void {
    lowerStatements(this, statements);
  }

  statement(statement: Statement, labels: string[]): void {
    lowerStatement(this, statement, labels);
  }

  /** `declareAs` says how a fresh target is declared when a helper's code (not an ASL Assign) sets it. */
  emitAwaited(awaited: Awaited, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
    emitAwaited(this, awaited, target, at, declareAs);
  }

  // ---- blocks -------------------------------------------------------------------------------

  /** A new block under the current try handler, or under `under.handler` (which may be none) when given. */
  newBlock(origin: Node, under?: { handler: TryHandler | undefined }): Block {
    const handler = under ? under.handler : this.tryHandler;
    const block: Block = { id: this.blocks.length, code: [], term: { kind: "open" }, handler, origin, context: this.childContext };
    this.blocks.push(block);
    return block;
  }

  /** Ends the current block; code after a jump is unreachable and lands in a fresh block. */
  seal(term: Terminator, origin: Node = this.cur.origin): void {
    this.cur.term = term;
    this.cur = this.newBlock(origin);
  }

  goto(target: Block): void {
    this.cur.term = { kind: "goto", target };
  }

  startAt(block: Block): void {
    this.cur = block;
  }

  // ---- values -------------------------------------------------------------------------------

  /** `embeds`: a piece whose text this one contains; the closures it uses must be re-created where this one runs. */
  synthetic(text: string, reads: Local[] = [], writes: Local[] = [], declares: Local[] = [], embeds?: CodePiece): CodePiece {
    const piece = emptyPiece(text);
    reads.forEach((l) => piece.reads.add(l));
    writes.forEach((l) => piece.writes.add(l));
    declares.forEach((l) => piece.declares.add(l));
    if (embeds?.closures) piece.closures = new Set(embeds.closures);
    return piece;
  }

  checked<T extends Node>(node: T, where: string): T {
    refuse.refuseDurableInside(node, where);
    return node;
  }

  checkedValue(node: Expression, where: string): ValueExpr {
    refuse.refuseDurableInside(node, where);
    return { node, piece: renderCode(node, this.locals) };
  }

  /** A literal name as it is, `undefined` as none, a computed one as a value. */
  operationName(arg: Expression | undefined): ValueExpr | string | null {
    if (!arg) return null;
    if (arg.getText() === "undefined") return null;
    // A name fixed at build time (a const, an enum member, a template of those) is a literal name.
    const known = knownString(arg);
    if (known !== undefined) return known;
    return this.checkedValue(arg, "an operation name");
  }

  isContextReference(node: Node): boolean {
    return Node.isIdentifier(node) && this.locals.resolve(node)?.isContext === true;
  }
}
