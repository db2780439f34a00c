import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type Block as BlockNode,
  type FunctionDeclaration,
  type FunctionExpression,
  type CallExpression,
  type Expression,
  type Statement,
} from "ts-morph";
import { fail } from "../diagnostics.ts";
import { asDurableCall, containsDurableCall, insideOperationFunction, invokeArguments, isFunctionLike, splitName, type DurableCall } from "../parse/durable-calls.ts";
import { CHILD_CONTEXT_OPTIONS, INVOKE_OPTIONS, MAP_OPTIONS, PARALLEL_BRANCH, PARALLEL_OPTIONS } from "../parse/operation-options.ts";
import { readOptions } from "../parse/options.ts";
import type { HandlerDecl } from "../parse/handlers.ts";
import type { BatchOp, Block, Branch, ChildContext, Cfg, CombinatorOp, CreateCallbackOp, DurableOp, StepOp, Terminator, TryHandler, ValueExpr } from "./cfg.ts";
import { refuseOuterWrites } from "./branch-writes.ts";
import { closurePiece } from "./closures.ts";
import { createCallbackOf, createCallbackShape } from "./create-callback-shape.ts";
import type { Local, Locals } from "./locals.ts";
import * as refuse from "./refusals.ts";
import { refuseReturnedAlias } from "./returned-alias.ts";
import { emptyPiece, isAssignmentOperator, isPrimitiveType, renderCode, type CodePiece } from "./render.ts";

interface JumpScope {
  labels: string[];
  breakTarget: Block;
  continueTarget?: Block;
  /** How many finally scopes enclose the jump target; jumps run the finally bodies above it. */
  finallyDepth: number;
}

const SHORT_CIRCUIT = new Set([SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken]);

type HelperFunction = FunctionDeclaration | ArrowFunction | FunctionExpression;
type Awaited = { kind: "operation"; call: DurableCall } | { kind: "helper"; call: CallExpression; fn: HelperFunction };

interface ReturnScope {
  result: Local;
  exit: Block;
  finallyDepth: number;
  /** A child context's result is checkpointed as JSON by the SDK: it comes back through JSON. */
  throughJson: boolean;
}

interface FinallyScope {
  statements: Statement[];
  /** The handler in force around the try statement; its finally body runs under it. */
  outer?: TryHandler;
}

/** Builds the control-flow graph of a handler body (see cfg.ts). */
export function buildCfg(handler: HandlerDecl, locals: Locals): Cfg {
  return new CfgBuilder(handler.fn, locals, { child: 0, condition: 0 }).build();
}

/** Numbers that must be unique across the handler and every map or parallel branch in it. */
interface Counters {
  child: number;
  condition: number;
}

type BranchFunction = ArrowFunction | FunctionExpression;

class CfgBuilder {
  private readonly blocks: Block[] = [];
  private cur!: Block;
  private tryHandler?: TryHandler;
  private jumps: JumpScope[] = [];
  private finallies: FinallyScope[] = [];
  private tryCount = 0;
  /** Inlined helpers being lowered, innermost last: where their `return` goes. */
  private returns: ReturnScope[] = [];
  private inlining: HelperFunction[] = [];
  private childContext?: ChildContext;
  private readonly records = new Map<Node, Local>();

  constructor(
    private readonly fn: BranchFunction,
    private readonly locals: Locals,
    private readonly counters: Counters,
  ) {}

  build(): Cfg {
    const fn = this.fn;
    const [eventParam, contextParam] = fn.getParameters();
    const event = eventParam ? this.locals.resolve(eventParam.getNameNode()) : undefined;
    refuse.refuseEventPattern(eventParam);
    if (contextParam) {
      const context = this.locals.resolve(contextParam.getNameNode());
      if (context) context.isContext = true;
    }
    return { ...this.lowerBody(), params: { event } };
  }

  private lowerBody(): { entry: Block; blocks: Block[] } {
    const entry = this.newBlock(this.fn);
    this.cur = entry;
    const body = this.fn.getBody();
    if (Node.isBlock(body)) this.lowerStatements(body.getStatements());
    else this.lowerReturn(body as Expression, body);
    if (this.cur.term.kind === "open") this.seal({ kind: "return" });
    return { entry, blocks: this.blocks };
  }

  /**
   * A map function `(ctx, item, index) => ...` or a parallel branch `(ctx) => ...`, lowered as a
   * graph of its own that runs in `context`. It may read the handler's locals but not assign
   * them: each iteration is an ASL scope of its own (and under the SDK, a concurrent one).
   */
  buildBranch(context: ChildContext, kind: "map" | "parallel"): Cfg {
    const [contextParam, itemParam, indexParam] = this.fn.getParameters();
    refuse.refuseBranchParameters(this.fn.getParameters(), kind);
    if (contextParam) this.locals.resolve(contextParam.getNameNode())!.isContext = true;
    const item = itemParam ? this.locals.resolve(itemParam.getNameNode()) : undefined;
    const index = indexParam ? this.locals.resolve(indexParam.getNameNode()) : undefined;
    this.childContext = context;
    const cfg = { ...this.lowerBody(), params: { item, index } };
    refuseOuterWrites(cfg, this.fn, kind);
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
      this.emitAwaited({ kind: "operation", call }, result, call.call);
      // The result as stored (markers for undefined and errors included): fragments decode it.
      this.seal({ kind: "return", value: { node: call.call, piece: this.synthetic(result.id, [result]), opaque: true, jsonata: `$${result.id}` } });
    }
    return { entry, blocks: this.blocks, params: {} };
  }

  // ---- blocks -------------------------------------------------------------------------------

  /** A new block under the current try handler, or under `under.handler` (which may be none) when given. */
  private newBlock(origin: Node, under?: { handler: TryHandler | undefined }): Block {
    const handler = under ? under.handler : this.tryHandler;
    const block: Block = { id: this.blocks.length, code: [], term: { kind: "open" }, handler, origin, context: this.childContext };
    this.blocks.push(block);
    return block;
  }

  /** Ends the current block; code after a jump is unreachable and lands in a fresh block. */
  private seal(term: Terminator, origin: Node = this.cur.origin): void {
    this.cur.term = term;
    this.cur = this.newBlock(origin);
  }

  private goto(target: Block): void {
    this.cur.term = { kind: "goto", target };
  }

  private startAt(block: Block): void {
    this.cur = block;
  }

  private value(node: Expression): ValueExpr {
    refuse.refuseDurableInside(node, "an expression");
    return { node, piece: renderCode(node, this.locals) };
  }

  private synthetic(text: string, reads: Local[] = [], writes: Local[] = [], declares: Local[] = []): CodePiece {
    const piece = emptyPiece(text);
    reads.forEach((l) => piece.reads.add(l));
    writes.forEach((l) => piece.writes.add(l));
    declares.forEach((l) => piece.declares.add(l));
    return piece;
  }

  // ---- statements ---------------------------------------------------------------------------

  private lowerStatements(statements: Statement[]): void {
    for (let i = 0; i < statements.length; i++) {
      if (createCallbackOf(statements[i], this.operationOf)) {
        this.lowerCreateCallback(statements, i);
        i += 2;
      } else this.lowerStatement(statements[i], []);
    }
  }

  /** `const [promise, id] = await context.createCallback(...)`, its step and its await: one Task (create-callback-shape.ts). */
  private lowerCreateCallback(statements: Statement[], at: number): void {
    const call = createCallbackOf(statements[at], this.operationOf)!;
    const { step: stepCall, id, target, awaitStatement } = createCallbackShape(statements.slice(at, at + 3), this.operationOf, this.locals);
    const { name, rest } = splitName(call);
    const step = this.parseOperation(stepCall) as StepOp;
    const op: CreateCallbackOp = {
      kind: "createCallback",
      call,
      name: this.operationName(name),
      config: this.optional(rest[0]),
      callbackId: this.locals.resolve(id)!,
      step,
    };
    if (target) target.codeOnly = true;
    const next = this.newBlock(awaitStatement);
    this.cur.term = { kind: "op", op, target, next };
    this.startAt(next);
  }

  private lowerStatement(statement: Statement, labels: string[]): void {
    refuse.refuseUnsupportedSyntax(statement);
    if (!this.needsExplode(statement)) {
      refuse.refuseContextUse(statement, (n) => this.isContextReference(n));
      this.cur.code.push(renderCode(statement, this.locals));
      return;
    }
    if (Node.isBlock(statement)) return this.lowerStatements(statement.getStatements());
    if (Node.isLabeledStatement(statement)) return this.lowerLabeled(statement, labels);
    if (Node.isIfStatement(statement)) return this.lowerIf(statement);
    if (Node.isWhileStatement(statement) || Node.isDoStatement(statement) || Node.isForStatement(statement)) {
      return this.lowerLoop(statement, labels);
    }
    if (Node.isForOfStatement(statement) || Node.isForInStatement(statement)) return this.lowerForEach(statement, labels);
    if (Node.isSwitchStatement(statement)) return this.lowerSwitch(statement, labels);
    if (Node.isTryStatement(statement)) return this.lowerTry(statement);
    if (Node.isReturnStatement(statement)) return this.lowerReturn(statement.getExpression(), statement);
    if (Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) return this.lowerJump(statement);
    if (Node.isVariableStatement(statement)) return this.lowerVariableStatement(statement);
    if (Node.isExpressionStatement(statement)) return this.lowerExpressionStatement(statement.getExpression(), statement);
    refuse.refuseOperationInStatement(statement);
  }

  /** Statements that contain a durable operation, a helper call, or a jump out of themselves, are exploded into blocks. */
  private needsExplode(statement: Statement): boolean {
    if (containsDurableCall(statement)) return true;
    const awaitsHelper = statement
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .some((c) => c.getArguments().some((a) => this.isContextReference(a)) && !insideOperationFunction(c));
    if (awaitsHelper) return true;
    let escapes = false;
    const visit = (n: Node, loopDepth: number, switchDepth: number, labels: Set<string>) => {
      if (escapes || isFunctionLike(n)) return;
      if (Node.isReturnStatement(n)) escapes = true;
      else if (Node.isBreakStatement(n) || Node.isContinueStatement(n)) {
        const label = n.getLabel()?.getText();
        if (label) escapes ||= !labels.has(label);
        else if (Node.isBreakStatement(n)) escapes ||= loopDepth + switchDepth === 0;
        else escapes ||= loopDepth === 0;
      }
      const isLoop = Node.isIterationStatement(n);
      const isSwitch = Node.isSwitchStatement(n);
      const nextLabels = Node.isLabeledStatement(n) ? new Set([...labels, n.getLabel().getText()]) : labels;
      n.forEachChild((c) => visit(c, loopDepth + (isLoop ? 1 : 0), switchDepth + (isSwitch ? 1 : 0), nextLabels));
    };
    visit(statement, 0, 0, new Set());
    return escapes;
  }

  private lowerLabeled(statement: Node & { getLabel(): Node; getStatement(): Statement }, labels: string[]): void {
    const inner = statement.getStatement();
    const all = [...labels, statement.getLabel().getText()];
    if (Node.isIterationStatement(inner) || Node.isSwitchStatement(inner)) return this.lowerStatement(inner, all);
    const exit = this.newBlock(statement);
    this.jumps.push({ labels: all, breakTarget: exit, finallyDepth: this.finallies.length });
    this.lowerStatement(inner, []);
    this.jumps.pop();
    this.goto(exit);
    this.startAt(exit);
  }

  private lowerIf(statement: Node & { getExpression(): Expression; getThenStatement(): Statement; getElseStatement(): Statement | undefined }): void {
    const cond = this.value(statement.getExpression());
    const thenBlock = this.newBlock(statement.getThenStatement());
    const elseStatement = statement.getElseStatement();
    const exit = this.newBlock(statement);
    const elseBlock = elseStatement ? this.newBlock(elseStatement) : exit;
    this.cur.term = { kind: "branch", cond, then: thenBlock, else: elseBlock, what: "if" };
    this.startAt(thenBlock);
    this.lowerStatement(statement.getThenStatement(), []);
    this.goto(exit);
    if (elseStatement) {
      this.startAt(elseBlock);
      this.lowerStatement(elseStatement, []);
      this.goto(exit);
    }
    this.startAt(exit);
  }

  private lowerLoop(statement: Statement, labels: string[]): void {
    const exit = this.newBlock(statement);
    const head = this.newBlock(statement);
    const body = this.newBlock(statement);
    let continueTarget = head;
    if (Node.isForStatement(statement)) {
      const init = statement.getInitializer();
      if (init) {
        refuse.refuseDurableInside(init, "a for-loop initializer");
        this.cur.code.push(renderCode(init, this.locals));
        const last = this.cur.code[this.cur.code.length - 1];
        last.text += ";";
      }
      const incrementor = statement.getIncrementor();
      if (incrementor) {
        continueTarget = this.newBlock(incrementor);
        const piece = renderCode(this.checked(incrementor, "a for-loop update"), this.locals);
        piece.text += ";";
        continueTarget.code.push(piece);
        continueTarget.term = { kind: "goto", target: head };
      }
    }
    const isDo = Node.isDoStatement(statement);
    if (isDo) continueTarget = head;
    this.goto(isDo ? body : head);
    // head: test the condition (a `for(;;)` has none)
    const condition = Node.isForStatement(statement)
      ? statement.getCondition()
      : (statement as unknown as { getExpression(): Expression }).getExpression();
    if (condition) head.term = { kind: "branch", cond: this.checkedValue(condition, "a loop condition"), then: body, else: exit, what: "loop" };
    else head.term = { kind: "goto", target: body };
    this.jumps.push({ labels, breakTarget: exit, continueTarget, finallyDepth: this.finallies.length });
    this.startAt(body);
    this.lowerStatement((statement as unknown as { getStatement(): Statement }).getStatement(), []);
    this.goto(continueTarget);
    this.jumps.pop();
    this.startAt(exit);
  }

  private checked<T extends Node>(node: T, where: string): T {
    refuse.refuseDurableInside(node, where);
    return node;
  }

  private checkedValue(node: Expression, where: string): ValueExpr {
    refuse.refuseDurableInside(node, where);
    return { node, piece: renderCode(node, this.locals) };
  }

  /**
   * for-of / for-in with durable operations inside: the items are taken once, as an array (they
   * must be JSON, since they live in an ASL Variable), and walked with an index.
   */
  private lowerForEach(statement: Statement, labels: string[]): void {
    const s = statement as unknown as { getExpression(): Expression; getInitializer(): Node; getStatement(): Statement };
    const isOf = Node.isForOfStatement(statement);
    refuse.refuseForAwait(statement);
    const source = this.checkedValue(s.getExpression(), "the iterated expression");
    const items = this.locals.temporary("items");
    const index = this.locals.temporary("index");
    const take = isOf ? `[...(${source.piece.text})]` : `Object.keys(${source.piece.text})`;
    this.cur.code.push(
      this.synthetic(`const ${items.id} = ${take}; let ${index.id} = 0;`, [...source.piece.reads], [], [items, index]),
    );
    const exit = this.newBlock(statement);
    const head = this.newBlock(statement);
    const body = this.newBlock(statement);
    const next = this.newBlock(statement);
    next.code.push(this.synthetic(`${index.id}++;`, [index], [index]));
    next.term = { kind: "goto", target: head };
    this.goto(head);
    head.term = {
      kind: "branch",
      cond: { node: s.getExpression(), piece: this.synthetic(`${index.id} < ${items.id}.length`, [index, items]), jsonata: `$${index.id} < $count($${items.id})` },
      then: body,
      else: exit,
      what: "loop",
    };
    this.startAt(body);
    const init = s.getInitializer();
    const current = `${items.id}[${index.id}]`;
    if (Node.isVariableDeclarationList(init)) {
      const decl = init.getDeclarations()[0];
      const name = renderCode(decl.getNameNode(), this.locals);
      const piece = this.synthetic(`const ${name.text} = ${current};`, [items, index], [], [...name.declares]);
      this.cur.code.push(piece);
    } else {
      const target = renderCode(init, this.locals);
      this.cur.code.push(this.synthetic(`${target.text} = ${current};`, [items, index, ...target.reads], [...target.writes]));
    }
    this.jumps.push({ labels, breakTarget: exit, continueTarget: next, finallyDepth: this.finallies.length });
    this.lowerStatement(s.getStatement(), []);
    this.goto(next);
    this.jumps.pop();
    this.startAt(exit);
  }

  private lowerSwitch(statement: Node & { getExpression(): Expression; getClauses(): Node[] }, labels: string[]): void {
    const discriminant = this.checkedValue(statement.getExpression(), "a switch discriminant");
    const exit = this.newBlock(statement);
    const clauses = statement.getClauses();
    const blocks = clauses.map((c) => this.newBlock(c));
    const cases: ValueExpr[] = [];
    const targets: Block[] = [];
    let otherwise = exit;
    clauses.forEach((clause, i) => {
      if (Node.isCaseClause(clause)) {
        cases.push(this.checkedValue(clause.getExpression(), "a case label"));
        targets.push(blocks[i]);
      } else otherwise = blocks[i];
    });
    this.cur.term = { kind: "switch", discriminant, cases, targets, otherwise };
    this.jumps.push({ labels, breakTarget: exit, finallyDepth: this.finallies.length });
    clauses.forEach((clause, i) => {
      this.startAt(blocks[i]);
      this.lowerStatements((clause as Node & { getStatements(): Statement[] }).getStatements());
      this.goto(blocks[i + 1] ?? exit); // fall through to the next clause, as JavaScript does
    });
    this.jumps.pop();
    this.startAt(exit);
  }

  private lowerJump(statement: Node & { getLabel(): Node | undefined }): void {
    const label = statement.getLabel()?.getText();
    const isBreak = Node.isBreakStatement(statement);
    const scope = [...this.jumps].reverse().find((j) =>
      label ? j.labels.includes(label) && (isBreak || j.continueTarget) : isBreak ? true : j.continueTarget !== undefined,
    );
    if (!scope) fail(statement, "D2S2006", "jump target not found", "check the label");
    const target = isBreak ? scope.breakTarget : scope.continueTarget!;
    this.runFinalliesDownTo(scope.finallyDepth);
    this.seal({ kind: "goto", target }, statement);
  }

  /** Runs the finally bodies a jump leaves, innermost first, each under the handler around its try. */
  private runFinalliesDownTo(depth: number): void {
    const saved = { finallies: this.finallies, handler: this.tryHandler };
    for (let i = this.finallies.length - 1; i >= depth; i--) {
      const scope = saved.finallies[i];
      this.finallies = saved.finallies.slice(0, i);
      this.tryHandler = scope.outer;
      const block = this.newBlock(scope.statements[0] ?? this.cur.origin);
      this.goto(block);
      this.startAt(block);
      this.lowerStatements(scope.statements);
    }
    this.finallies = saved.finallies;
    this.tryHandler = saved.handler;
  }

  private lowerReturn(expression: Expression | undefined, at: Node): void {
    const scope = this.returns[this.returns.length - 1];
    if (scope) return this.lowerHelperReturn(expression, at, scope);
    if (expression) {
      const awaited = this.awaitedCall(expression);
      if (awaited) {
        const result = this.locals.temporary("result");
        this.emitAwaited(awaited, result, at, "const");
        return this.finishReturn({ node: expression, piece: this.synthetic(result.id, [result]) }, at);
      }
    }
    if (expression && this.isConditionalWithOperations(expression)) {
      const result = this.locals.temporary("result");
      this.cur.code.push(this.synthetic(`let ${result.id};`, [], [], [result]));
      this.lowerValueInto(result, expression, at);
      return this.finishReturn({ node: expression, piece: this.synthetic(result.id, [result]), opaque: true }, at);
    }
    const value = expression ? this.checkedValue(expression, "a return value") : undefined;
    if (value && this.finallies.length > 0) {
      refuseReturnedAlias(value, this.finallies.map((f) => f.statements), this.locals);
      // The value is computed before the finally bodies run, as in JavaScript.
      const result = this.locals.temporary("result");
      this.cur.code.push(this.synthetic(`const ${result.id} = ${value.piece.text};`, [...value.piece.reads], [], [result]));
      // opaque: the value is the temporary now, never the expression read again after the finally.
      return this.finishReturn({ node: expression!, piece: this.synthetic(result.id, [result]), opaque: true }, at);
    }
    this.finishReturn(value, at);
  }

  /** `c ? await a() : b`, `x && await a()`, `x ?? await a()`: a durable operation in one arm. */
  private isConditionalWithOperations(expression: Expression): boolean {
    let e: Node = expression;
    while (Node.isParenthesizedExpression(e)) e = e.getExpression();
    if (Node.isConditionalExpression(e)) return containsDurableCall(e.getWhenTrue()) || containsDurableCall(e.getWhenFalse()) || this.awaitedCall(e.getWhenTrue() as Expression) !== undefined || this.awaitedCall(e.getWhenFalse() as Expression) !== undefined;
    if (Node.isBinaryExpression(e) && SHORT_CIRCUIT.has(e.getOperatorToken().getKind())) {
      return containsDurableCall(e.getRight()) || this.awaitedCall(e.getRight()) !== undefined;
    }
    return false;
  }

  /**
   * Evaluates an expression into `target`, exploding the conditional operators whose arms hold
   * durable operations into branches, in JavaScript's order of evaluation.
   */
  private lowerValueInto(target: Local, expression: Expression, at: Node): void {
    let e: Expression = expression;
    while (Node.isParenthesizedExpression(e)) e = e.getExpression();
    const awaited = this.awaitedCall(e);
    if (awaited) return this.emitAwaited(awaited, target, at);
    if (!this.isConditionalWithOperations(e)) {
      const value = this.checkedValue(e, "an expression");
      this.cur.code.push(this.synthetic(`${target.id} = ${value.piece.text};`, [...value.piece.reads], [target]));
      return;
    }
    const exit = this.newBlock(at);
    const thenBlock = this.newBlock(at);
    if (Node.isConditionalExpression(e)) {
      const elseBlock = this.newBlock(at);
      this.cur.term = { kind: "branch", cond: this.checkedValue(e.getCondition(), "a condition"), then: thenBlock, else: elseBlock, what: "condition" };
      this.startAt(thenBlock);
      this.lowerValueInto(target, e.getWhenTrue(), at);
      this.goto(exit);
      this.startAt(elseBlock);
      this.lowerValueInto(target, e.getWhenFalse(), at);
      this.goto(exit);
      this.startAt(exit);
      return;
    }
    const binary = e as Expression & { getLeft(): Expression; getRight(): Expression; getOperatorToken(): Node };
    this.lowerValueInto(target, binary.getLeft(), at);
    const op = binary.getOperatorToken().getKind();
    const test =
      op === SyntaxKind.AmpersandAmpersandToken ? target.id : op === SyntaxKind.BarBarToken ? `!${target.id}` : `${target.id} === null || ${target.id} === undefined`;
    this.cur.term = { kind: "branch", cond: { node: binary.getLeft(), piece: this.synthetic(test, [target]), opaque: true }, then: thenBlock, else: exit, what: "condition" };
    this.startAt(thenBlock);
    this.lowerValueInto(target, binary.getRight(), at);
    this.goto(exit);
    this.startAt(exit);
  }

  private finishReturn(value: ValueExpr | undefined, at: Node): void {
    this.runFinalliesDownTo(0);
    this.seal({ kind: "return", value }, at);
  }

  /** `return` inside an inlined helper: its value lands in the call's result, then control goes after the call. */
  private lowerHelperReturn(expression: Expression | undefined, at: Node, scope: ReturnScope): void {
    const awaited = expression ? this.awaitedCall(expression) : undefined;
    if (awaited) this.emitAwaited(awaited, scope.result, at);
    else if (expression) {
      const value = this.checkedValue(expression, "a return value");
      const text = scope.throughJson ? `$d.json(${value.piece.text})` : value.piece.text;
      this.cur.code.push(this.synthetic(`${scope.result.id} = ${text};`, [...value.piece.reads], [scope.result]));
    } else this.cur.code.push(this.synthetic(`${scope.result.id} = undefined;`, [], [scope.result]));
    this.runFinalliesDownTo(scope.finallyDepth);
    this.seal({ kind: "goto", target: scope.exit }, at);
  }

  // ---- durable operations -------------------------------------------------------------------

  /** `await context.op(...)` (or `context.op(...)` returned from the async handler). */
  private readonly operationOf = (expression: Expression): DurableCall | undefined => {
    const awaited = this.awaitedCall(expression);
    return awaited?.kind === "operation" ? awaited.call : undefined;
  };

  /** A durable operation, or a call of an async helper of this module that takes the DurableContext. */
  private awaitedCall(expression: Expression): Awaited | undefined {
    let e: Node = expression;
    while (Node.isParenthesizedExpression(e)) e = e.getExpression();
    if (Node.isAwaitExpression(e)) {
      e = e.getExpression();
      while (Node.isParenthesizedExpression(e)) e = e.getExpression();
    }
    const operation = asDurableCall(e);
    if (operation) return { kind: "operation", call: operation };
    if (Node.isCallExpression(e) && e.getArguments().some((a) => this.isContextReference(a))) {
      const helper = this.helperOf(e);
      if (!helper) {
        refuse.refuseUnseenHelper(e);
      }
      return { kind: "helper", call: e, fn: helper };
    }
    return undefined;
  }

  private isContextReference(node: Node): boolean {
    return Node.isIdentifier(node) && this.locals.resolve(node)?.isContext === true;
  }

  /** The declaration of a called function, when it is an async function of this module. */
  private helperOf(call: CallExpression): HelperFunction | undefined {
    const callee = call.getExpression();
    if (!Node.isIdentifier(callee)) return undefined;
    let symbol = callee.getSymbol();
    if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
    for (const d of symbol?.getDeclarations() ?? []) {
      if (d.getSourceFile() !== call.getSourceFile()) continue;
      const fn = Node.isVariableDeclaration(d) ? d.getInitializer() : d;
      if (fn && (Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) && fn.isAsync()) return fn;
    }
    return undefined;
  }

  /** `declareAs` says how a fresh target is declared when a helper's code (not an ASL Assign) sets it. */
  private emitAwaited(awaited: Awaited, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
    if (awaited.kind === "operation" && awaited.call.method === "runInChildContext") this.inlineChildContext(awaited.call.call, target, at, declareAs);
    else if (awaited.kind === "operation") this.emitOperation(awaited.call, target, at);
    else this.inlineHelper(awaited.call, awaited.fn, target, at, declareAs);
  }

  /**
   * `runInChildContext(name, async (child) => ...)`: the function's body is inlined behind a
   * marker state that names the context; an error leaving it is wrapped in ChildContextError.
   */
  private inlineChildContext(call: CallExpression, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
    const split = splitName(call);
    const name = this.operationName(split.name);
    refuse.refuseComputedName(name, "a child context");
    const [fn, options] = split.rest;
    readOptions(CHILD_CONTEXT_OPTIONS, options);
    if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) {
      fail(fn ?? call, "D2S2004", "the child context function must be written inline", "pass an `async (child) => { ... }` function");
    }
    this.locals.addInlinedFunction(fn);
    const param = fn.getParameters()[0];
    if (param) {
      refuse.refuseContextPattern(param);
      this.locals.resolve(param.getNameNode())!.isContext = true;
    }
    const context: ChildContext = { id: ++this.counters.child, name, call, parent: this.childContext };
    const record = this.locals.temporary(`childError${context.id}`);
    // The wrapping state and the exit belong to the outer context and run under the outer handler.
    const wrap = this.newBlock(call);
    wrap.term = { kind: "wrapChild", context, record };
    const exit = this.newBlock(at);
    const saved = { handler: this.tryHandler, context: this.childContext };
    this.childContext = context;
    this.tryHandler = { entry: wrap, record };
    const body = this.newBlock(fn);
    this.cur.term = { kind: "enter", context, next: body };
    this.startAt(body);
    const result = this.lowerInlinedBody(fn, exit, true);
    this.tryHandler = saved.handler;
    this.childContext = saved.context;
    this.startAt(exit);
    this.assignResult(target, result, declareAs);
  }

  /** Lowers an inlined function's body: its returns set the result local and go to `exit`. */
  private lowerInlinedBody(fn: HelperFunction, exit: Block, throughJson: boolean): Local {
    const result = this.locals.temporary("returned");
    this.cur.code.push(this.synthetic(`let ${result.id};`, [], [], [result]));
    const savedJumps = this.jumps;
    this.jumps = []; // break and continue never cross a function boundary
    this.returns.push({ result, exit, finallyDepth: this.finallies.length, throughJson });
    this.inlining.push(fn);
    const body = fn.getBody();
    if (body && Node.isBlock(body)) this.lowerStatements(body.getStatements());
    else if (body) this.lowerReturn(body as Expression, body);
    this.inlining.pop();
    this.returns.pop();
    this.jumps = savedJumps;
    this.goto(exit);
    return result;
  }

  private assignResult(target: Local | undefined, result: Local, declareAs?: "const" | "let"): void {
    if (!target) return;
    if (declareAs) this.cur.code.push(this.synthetic(`${declareAs} ${target.id} = ${result.id};`, [result], [], [target]));
    else this.cur.code.push(this.synthetic(`${target.id} = ${result.id};`, [result], [target]));
  }

  /**
   * Inlines `await helper(context, ...)`: the helper's body becomes part of the graph, its
   * parameters locals set from the arguments, its returns jumps to after the call.
   */
  private inlineHelper(call: CallExpression, fn: HelperFunction, target: Local | undefined, at: Node, declareAs?: "const" | "let"): void {
    if (this.inlining.includes(fn)) refuse.refuseRecursion(call);
    this.locals.addInlinedFunction(fn);
    const args = call.getArguments() as Expression[];
    fn.getParameters().forEach((param, i) => {
      const arg = args[i];
      const nameNode = param.getNameNode();
      if (arg && this.isContextReference(arg)) {
        refuse.refuseContextPattern(param);
        this.locals.resolve(nameNode)!.isContext = true;
        return;
      }
      if (arg) refuse.refuseDurableInside(arg, "a helper argument");
      const value = arg ? renderCode(arg, this.locals) : undefined;
      const init = param.getInitializer();
      const fallback = init ? renderCode(init, this.locals) : undefined;
      const pattern = renderCode(nameNode, this.locals);
      const text = value
        ? fallback
          ? `let ${pattern.text} = ((v) => (v === undefined ? ${fallback.text} : v))(${value.text});`
          : `let ${pattern.text} = ${value.text};`
        : `let ${pattern.text} = ${fallback?.text ?? "undefined"};`;
      this.cur.code.push(this.synthetic(text, [...(value?.reads ?? []), ...(fallback?.reads ?? [])], [], [...pattern.declares]));
    });
    const exit = this.newBlock(at);
    const result = this.lowerInlinedBody(fn, exit, false);
    this.startAt(exit);
    this.assignResult(target, result, declareAs);
  }

  private lowerVariableStatement(statement: Node & { getDeclarationList(): Node & { getDeclarations(): any[] }; getDeclarationKind(): string }): void {
    const kind = statement.getDeclarationKind();
    for (const decl of statement.getDeclarationList().getDeclarations()) {
      const init: Expression | undefined = decl.getInitializer();
      const op = init ? this.awaitedCall(init) : undefined;
      const nameNode0: Node = decl.getNameNode();
      if (!op && init && this.isConditionalWithOperations(init)) {
        const target = Node.isIdentifier(nameNode0) ? this.locals.resolve(nameNode0)! : this.locals.temporary("result");
        this.cur.code.push(this.synthetic(`let ${target.id};`, [], [], [target]));
        this.lowerValueInto(target, init, decl);
        if (!Node.isIdentifier(nameNode0)) {
          const pattern = renderCode(nameNode0, this.locals);
          this.cur.code.push(this.synthetic(`${kind} ${pattern.text} = ${target.id};`, [target], [], [...pattern.declares]));
        }
        continue;
      }
      if (!op) {
        refuse.refuseDurableInside(decl, "a variable initializer");
        this.cur.code.push({ ...renderCode(decl, this.locals), text: `${kind} ${renderCode(decl, this.locals).text};` });
        continue;
      }
      const nameNode: Node = decl.getNameNode();
      if (Node.isIdentifier(nameNode)) {
        this.emitAwaited(op, this.locals.resolve(nameNode)!, decl, kind === "const" ? "const" : "let");
      } else {
        const temp = this.locals.temporary("result");
        this.emitAwaited(op, temp, decl, "const");
        const pattern = renderCode(nameNode, this.locals);
        this.cur.code.push(this.synthetic(`${kind} ${pattern.text} = ${temp.id};`, [temp], [], [...pattern.declares]));
      }
    }
  }

  private lowerExpressionStatement(expression: Expression, statement: Statement): void {
    let e: Node = expression;
    while (Node.isParenthesizedExpression(e)) e = e.getExpression();
    const direct = this.awaitedCall(expression);
    if (direct?.kind === "operation") refuse.refuseConfiguration(expression, direct.call);
    if (direct) {
      if (!Node.isAwaitExpression(e)) refuse.refuseUnawaited(expression);
      return this.emitAwaited(direct, undefined, statement);
    }
    if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken && this.isConditionalWithOperations(e.getRight())) {
      const left = e.getLeft();
      const local = Node.isIdentifier(left) ? this.locals.resolve(left) : undefined;
      if (local) return this.lowerValueInto(local, e.getRight(), statement);
    }
    if (Node.isBinaryExpression(e) && isAssignmentOperator(e.getOperatorToken().getKind())) {
      const op = this.awaitedCall(e.getRight());
      if (op) {
        const left = e.getLeft();
        const operator = e.getOperatorToken().getText();
        refuse.refuseDurableInside(left, "an assignment target");
        const local = Node.isIdentifier(left) ? this.locals.resolve(left) : undefined;
        if (local && operator === "=") return this.emitAwaited(op, local, statement);
        // `total += await ...`, `obj.x = await ...`: the result lands in a temporary, then the assignment runs as written.
        const temp = this.locals.temporary("result");
        this.emitAwaited(op, temp, statement, "const");
        const target = renderCode(left, this.locals);
        const reads = operator === "=" ? target.reads : new Set([...target.reads, ...target.writes]);
        this.cur.code.push(this.synthetic(`${target.text} ${operator} ${temp.id};`, [temp, ...reads], [...target.writes]));
        return;
      }
    }
    refuse.refuseOperationInExpression(expression);
  }

  private emitOperation(call: DurableCall, target: Local | undefined, at: Node): void {
    const op = this.parseOperation(call);
    if (target && ["waitForCallback", "map", "parallel", "promise"].includes(op.kind)) target.codeOnly = true;
    const next = this.newBlock(at);
    this.cur.term = { kind: "op", op, target, next };
    this.startAt(next);
  }

  private parseOperation({ call, method }: DurableCall): DurableOp {
    const split = splitName(call);
    const name = this.operationName(split.name);
    const rest = split.rest;
    switch (method) {
      case "step":
        return { kind: "step", call, name, body: this.closure(rest[0], call, "step"), config: this.optional(rest[1]) };
      case "wait":
        return { kind: "wait", call, name, duration: this.checkedValue(rest[0], "a wait duration") };
      case "waitForCallback":
        return { kind: "waitForCallback", call, name, submitter: this.closure(rest[0], call, "submitter"), config: this.optional(rest[1]) };
      case "invoke": {
        const { name: nameArg, functionId: fnArg, input: inputArg, options } = invokeArguments(call);
        readOptions(INVOKE_OPTIONS, options);
        return {
          kind: "invoke",
          call,
          name: this.operationName(nameArg),
          functionId: this.checkedValue(fnArg ?? fail(call, "D2S2004", "invoke needs a function name", "pass the function name or ARN"), "a function name"),
          input: inputArg ? this.checkedValue(inputArg, "an invoke input") : undefined,
        };
      }
      case "waitForCondition": {
        if (!rest[1]) fail(call, "D2S2004", "waitForCondition needs its config", "pass `{ waitStrategy, initialState }`");
        const id = ++this.counters.condition;
        return {
          kind: "waitForCondition",
          call,
          name,
          check: this.closure(rest[0], call, "check"),
          config: this.checkedValue(rest[1], "waitForCondition options"),
          state: this.locals.temporary(`conditionState${id}`),
          attempt: this.locals.temporary(`conditionAttempt${id}`),
        };
      }
      case "map":
      case "parallel":
        return this.parseBatch(call, method, name, rest);
      case "promise.all":
      case "promise.allSettled":
        return this.parseCombinator(call, method === "promise.all" ? "all" : "allSettled", name, rest);
      default:
        refuse.refuseUnsupportedOperation(call, method);
    }
  }

  private parseBatch(call: CallExpression, kind: "map" | "parallel", name: ValueExpr | string | null, args: Expression[]): BatchOp {
    const [first, second, third] = args;
    const configArg = kind === "map" ? third : second;
    const { config, maxConcurrency } = this.batchConfig(configArg, kind);
    if (kind === "map") {
      if (!first || !second) fail(call, "D2S2004", "map needs its items and a function", "pass `context.map(items, async (ctx, item, index) => { ... })`");
      const fn = this.branchFunction(second, "the map function");
      return { kind, call, name, items: this.checkedValue(first, "map items"), config, maxConcurrency, branches: [this.lowerBranch(fn, call, null, kind)] };
    }
    if (!first || !Node.isArrayLiteralExpression(first)) {
      fail(first ?? call, "D2S2004", "parallel branches must be written as an array literal", "pass `[async (ctx) => { ... }, { name: \"b\", func: async (ctx) => { ... } }]`");
    }
    const branches = first.getElements().map((element, i) => {
      if (Node.isObjectLiteralExpression(element)) {
        const { values } = readOptions(PARALLEL_BRANCH, element)!;
        const branchName = values.name?.literal as string | undefined;
        return this.lowerBranch(this.branchFunction(values.func!.value!, "a parallel branch"), call, branchName ?? `parallel-branch-${i}`, kind);
      }
      return this.lowerBranch(this.branchFunction(element, "a parallel branch"), call, `parallel-branch-${i}`, kind);
    });
    return { kind, call, name, config, maxConcurrency, branches };
  }

  private parseCombinator(call: CallExpression, combinator: "all" | "allSettled", name: ValueExpr | string | null, args: Expression[]): CombinatorOp {
    refuse.refuseComputedName(name, "a promise combinator's");
    const [list] = args;
    if (!list || !Node.isArrayLiteralExpression(list)) fail(list ?? call, "D2S2004", `promise.${combinator} needs an array literal of operations`, "write `context.promise.all([context.step(...), context.wait(...)])`");
    const branches = list.getElements().map((element) => {
      const op = asDurableCall(element);
      refuse.refuseCombinatorElement(element, op, combinator);
      return new CfgBuilder(this.fn, this.locals, this.counters).buildOperationBranch(op, this.childContext);
    });
    const context: ChildContext = { id: ++this.counters.child, name, call, parent: this.childContext };
    return { kind: "promise", call, name, combinator, branches, context };
  }

  private branchFunction(node: Node, what: string): BranchFunction {
    if (!(Node.isArrowFunction(node) || Node.isFunctionExpression(node))) fail(node, "D2S2004", `${what} must be written inline`, "pass an `async (ctx, ...) => { ... }` function");
    return node;
  }

  /** Each branch runs in a context of its own, named at run time for map items. */
  private lowerBranch(fn: BranchFunction, call: CallExpression, name: string | null, kind: "map" | "parallel"): Branch {
    this.locals.addInlinedFunction(fn);
    const context: ChildContext = { id: ++this.counters.child, name, call };
    const cfg = new CfgBuilder(fn, this.locals, this.counters).buildBranch(context, kind);
    return { cfg, context };
  }

  /** The options object (operation-options.ts): evaluated by code, with a literal maxConcurrency lifted out for the state. */
  private batchConfig(arg: Expression | undefined, kind: "map" | "parallel"): { config?: ValueExpr; maxConcurrency?: number } {
    const read = readOptions(kind === "map" ? MAP_OPTIONS : PARALLEL_OPTIONS, arg);
    if (!read) return {};
    return { config: this.checkedValue(read.node, `${kind} options`), maxConcurrency: read.values.maxConcurrency?.literal as number | undefined };
  }

  private operationName(arg: Expression | undefined): ValueExpr | string | null {
    if (!arg) return null;
    if (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg)) return arg.getLiteralValue();
    if (arg.getText() === "undefined") return null;
    return this.checkedValue(arg, "an operation name");
  }

  private optional(arg: Expression | undefined): ValueExpr | undefined {
    return arg ? this.checkedValue(arg, "operation options") : undefined;
  }

  private closure(arg: Expression | undefined, call: CallExpression, what: string): ValueExpr {
    return closurePiece(arg, call, what, this.locals);
  }

  // ---- try / catch / finally ----------------------------------------------------------------

  /**
   * One error record per catch clause (and per finally), however often its try is lowered: a
   * finally body is lowered once per path, and the catch binding's local must name one record.
   */
  private recordFor(node: Node, hint: string): Local {
    let record = this.records.get(node);
    if (!record) {
      record = this.locals.temporary(hint);
      this.records.set(node, record);
    }
    return record;
  }

  private lowerTry(statement: Node & { getTryBlock(): BlockNode; getCatchClause(): any; getFinallyBlock(): BlockNode | undefined }): void {
    const id = ++this.tryCount;
    const outer = this.tryHandler;
    const catchClause = statement.getCatchClause();
    const finallyBlock = statement.getFinallyBlock();
    const finallyHandler: TryHandler | undefined = finallyBlock
      ? { entry: this.newBlock(finallyBlock, { handler: outer }), record: this.recordFor(finallyBlock, `error${id}`) }
      : undefined;
    const catchHandler: TryHandler | undefined = catchClause
      ? { entry: this.newBlock(catchClause, { handler: finallyHandler ?? outer }), record: this.recordFor(catchClause, `caught${id}`) }
      : undefined;
    const exit = this.newBlock(statement, { handler: outer });
    const scope: FinallyScope | undefined = finallyBlock ? { statements: finallyBlock.getStatements(), outer } : undefined;
    if (scope) this.finallies.push(scope);

    this.tryHandler = catchHandler ?? finallyHandler;
    const tryStart = this.newBlock(statement.getTryBlock());
    this.goto(tryStart);
    this.startAt(tryStart);
    this.lowerStatements(statement.getTryBlock().getStatements());
    const join = this.newBlock(statement, { handler: outer });
    this.goto(join);

    if (catchClause && catchHandler) {
      this.tryHandler = finallyHandler ?? outer;
      this.startAt(catchHandler.entry);
      const binding = catchClause.getVariableDeclaration();
      if (binding) {
        const nameNode = binding.getNameNode();
        refuse.refuseCatchPattern(nameNode);
        const local = this.locals.resolve(nameNode)!;
        local.errorRecord = catchHandler.record;
      }
      this.lowerStatements(catchClause.getBlock().getStatements());
      this.goto(join);
    }
    if (scope) this.finallies.pop();
    this.tryHandler = outer;
    this.startAt(join);
    if (finallyBlock) this.lowerStatements(finallyBlock.getStatements());
    this.goto(exit);

    if (finallyBlock && finallyHandler) {
      // The exceptional path: run the finally body, then throw the same error on.
      this.startAt(finallyHandler.entry);
      this.lowerStatements(finallyBlock.getStatements());
      this.seal({ kind: "rethrow", record: finallyHandler.record });
    }
    this.startAt(exit);
  }
}
