import { printArrayUse } from "./array-methods.ts";
import { printBatch } from "./batches.ts";
import type { BoolExpr, CallbackAnswer, ExpectedRefusal, NumExpr, Stmt, StrExpr, ValueForm } from "./ast.ts";
import { printTry, printCatchRead, printRethrow, printThrow } from "./errors.ts";
import { printBlockStatement, printIf, printJump, printLoop, printReturn, printSwitch } from "./control.ts";
import { printBool, printNum, printStr } from "./expressions.ts";
import { printAssignNum, printAssignStr, printDeclArr, printDeclNum, printDeclObj, printDeclStr, printDestructure, printMutate, printPush } from "./locals.ts";
import { printCallback, printStep, printWait } from "./operations.ts";
import { printCombine, printCombineCallbacks, printCreateCallback } from "./shapes.ts";
import { printDeclNamed, printFracWait, printHelperCall, printInputIf, printInputUse, printToolCall } from "./inputs.ts";
import { printDeclValue, printErrorFlow, printMutatingStep, printReadValue, printThrowValue, printUseValue } from "./values.ts";

export type LocalType = "num" | "str" | "obj" | "arr" | "value";

export interface Local {
  name: string;
  type: LocalType;
  /** May be assigned (`let`, not a loop counter). */
  assignable: boolean;
  /** type "value": what it holds, and the names (or keys) its reads and writes use besides it. */
  form?: ValueForm;
  aux?: string[];
}

interface LoopFrame {
  label: string | null;
}

/**
 * Turns the AST into TypeScript source. It owns everything that depends on the position in the
 * program: the locals in scope (a `pick` resolves against them), fresh names, which jumps are
 * legal, whether `stepCtx` exists, the catch variable, and the callback answers per call site.
 */
export class Printer {
  private readonly lines: string[] = [];
  private indent = 0;
  private readonly scopes: Local[][] = [[]];
  private counter = 0;
  /** Names given to operation call sites in print order: s0, s1, ... w0 ... cb0 ... */
  readonly sites = { step: 0, wait: 0, callback: 0, batch: 0, helper: 0 };
  readonly callbacks: Record<string, CallbackAnswer[]> = {};
  readonly imports = new Set<string>();
  readonly classes = new Set<string>();
  readonly features = new Set<string>();
  /** Module functions taking the context (inputs.ts), printed only when used. */
  readonly helpers = new Set<string>();
  /** The refusals the program asks for (a mutating step body, code that changes an object beside a callback). */
  readonly expectRefusal: ExpectedRefusal[] = [];
  /** The program reads `Input` fields only ill-typed scenarios use (inputs.ts). */
  extendedInput = false;
  private readonly adversarial = new Set<string>();
  /** Enclosing loops (innermost last) and whether `break` may leave a switch. */
  private readonly loops: LoopFrame[] = [];
  private switchDepth = 0;
  /** Catch variables, innermost last. */
  private readonly caught: string[] = [];
  /**
   * Inside the try or catch block of a try with a finally: a returned value may not read an
   * object the finally block reads (D2S2012), so returns there give a primitive local.
   */
  guardedReturns = 0;
  /** Inside a step body: `stepCtx.attempt` is available. */
  inStep = false;
  /** Set when a step body read stepCtx (its parameter must be declared). */
  usedStepCtx = false;

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  line(text: string): void {
    this.lines.push("  ".repeat(this.indent) + text);
  }

  text(): string {
    return this.lines.join("\n");
  }

  feature(name: string): void {
    this.features.add(name);
  }

  // ---- scopes and locals ---------------------------------------------------------------------------

  declare(name: string, type: LocalType, assignable: boolean): void {
    this.scopes[this.scopes.length - 1]!.push({ name, type, assignable });
  }

  declareValue(name: string, form: ValueForm, aux: string[]): void {
    this.scopes[this.scopes.length - 1]!.push({ name, type: "value", assignable: false, form, aux });
  }

  /** The name itself the first time (a program declares each at most once), a fresh one after. */
  adversarialName(name: string): string {
    if (this.adversarial.has(name)) return this.fresh(`${name}_`);
    this.adversarial.add(name);
    return name;
  }

  inScope(): Local[] {
    return this.scopes.flat();
  }

  /** The pick-th local of a type in scope (modulo), or undefined when there is none. */
  pick(type: LocalType, pick: number, assignable = false): Local | undefined {
    const candidates = this.inScope().filter((l) => l.type === type && (!assignable || l.assignable));
    return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
  }

  /**
   * Prints statements in a new scope; stops after a statement that always leaves the block.
   * `prelude` runs first in the new scope, `postlude` last unless the block always leaves.
   */
  block(statements: Stmt[], prelude?: () => void, postlude?: () => void): void {
    this.indent++;
    this.scopes.push([]);
    prelude?.();
    let left = false;
    for (const statement of statements) {
      if ((left = this.statement(statement))) break;
    }
    if (!left) postlude?.();
    this.scopes.pop();
    this.indent--;
  }

  /** Prints one statement; true when it always jumps (return/throw/break/continue). */
  statement(s: Stmt): boolean {
    switch (s.k) {
      case "declNum":
        return printDeclNum(s, this);
      case "declStr":
        return printDeclStr(s, this);
      case "declObj":
        return printDeclObj(s, this);
      case "declArr":
        return printDeclArr(s, this);
      case "destructure":
        return printDestructure(s, this);
      case "assignNum":
        return printAssignNum(s, this);
      case "assignStr":
        return printAssignStr(s, this);
      case "push":
        return printPush(s, this);
      case "mutate":
        return printMutate(s, this);
      case "step":
        return printStep(s, this);
      case "wait":
        return printWait(s, this);
      case "callback":
        return printCallback(s, this);
      case "batch":
        return printBatch(s, this);
      case "if":
        return printIf(s, this);
      case "switch":
        return printSwitch(s, this);
      case "for":
      case "forOf":
      case "while":
      case "doWhile":
        return printLoop(s, this);
      case "jump":
        return printJump(s, this);
      case "block":
        return printBlockStatement(s, this);
      case "return":
        return printReturn(s, this);
      case "try":
        return printTry(s, this);
      case "catchRead":
        return printCatchRead(s, this);
      case "rethrow":
        return printRethrow(s, this);
      case "throw":
        return printThrow(s, this);
      case "declValue":
        return printDeclValue(s, this);
      case "useValue":
        return printUseValue(s, this);
      case "errorFlow":
        return printErrorFlow(s, this);
      case "throwValue":
        return printThrowValue(s, this);
      case "mutatingStep":
        return printMutatingStep(s, this);
      case "declNamed":
        return printDeclNamed(s, this);
      case "inputIf":
        return printInputIf(s, this);
      case "inputUse":
        return printInputUse(s, this);
      case "helperCall":
        return printHelperCall(s, this);
      case "fracWait":
        return printFracWait(s, this);
      case "arrayUse":
        return printArrayUse(s, this);
      case "createCallback":
        return printCreateCallback(s, this);
      case "combine":
        return printCombine(s, this);
      case "combineCallbacks":
        return printCombineCallbacks(s, this);
      case "toolCall":
        return printToolCall(s, this);
    }
  }

  // ---- expressions ---------------------------------------------------------------------------------

  num(e: NumExpr): string {
    return printNum(e, this);
  }

  str(e: StrExpr): string {
    return printStr(e, this);
  }

  bool(e: BoolExpr): string {
    return printBool(e, this);
  }

  // ---- jumps ---------------------------------------------------------------------------------------

  withLoop(label: string | null, body: () => void): void {
    this.loops.push({ label });
    const saved = this.switchDepth;
    this.switchDepth = 0;
    body();
    this.switchDepth = saved;
    this.loops.pop();
  }

  withSwitch(body: () => void): void {
    this.switchDepth++;
    body();
    this.switchDepth--;
  }

  /** The jump to print for `break`/`continue`, or undefined when it has no target here. */
  jumpText(jump: "break" | "continue", outer: boolean): string | undefined {
    if (this.loops.length === 0 && !(jump === "break" && this.switchDepth > 0)) return undefined;
    if (outer) {
      // The outermost labelled loop that is not the innermost one.
      const labelled = this.loops.slice(0, -1).find((l) => l.label !== null);
      if (labelled) return `${jump} ${labelled.label}`;
    }
    if (jump === "continue" && this.loops.length === 0) return undefined;
    return jump;
  }

  // ---- errors --------------------------------------------------------------------------------------

  withCatch(name: string, body: () => void): void {
    this.caught.push(name);
    body();
    this.caught.pop();
  }

  /** The innermost catch variable, if inside a catch block. */
  catchVariable(): string | undefined {
    return this.caught[this.caught.length - 1];
  }

  /** Saves and clears what code outside a step body may use, while a step body is printed. */
  insideStep(body: () => void): boolean {
    const saved = { inStep: this.inStep, used: this.usedStepCtx };
    this.inStep = true;
    this.usedStepCtx = false;
    this.indent++;
    body();
    this.indent--;
    const used = this.usedStepCtx;
    this.inStep = saved.inStep;
    this.usedStepCtx = saved.used;
    return used;
  }

  /** Captures the lines printed by `body` instead of emitting them. */
  capture(body: () => void): string[] {
    const start = this.lines.length;
    body();
    return this.lines.splice(start);
  }

  emit(lines: string[]): void {
    this.lines.push(...lines);
  }

  /** A read of every value local (values.ts) in scope. */
  readValues(): void {
    for (const local of this.inScope()) if (local.type === "value") printReadValue(local, this);
  }

  /** The object literal a `return` gives back: trail, state and every local in scope. */
  localsObject(): string {
    const names = ["trail", "state", ...this.inScope().map((l) => l.name)];
    return `{ ${names.join(", ")} }`;
  }
}
