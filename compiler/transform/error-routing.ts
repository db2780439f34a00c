import type { Node } from "ts-morph";
import { ReplyField } from "../../protocol/index.ts";
import type { Block, ChildContext } from "../lower/cfg.ts";
import type { Local } from "../analyze/locals.ts";
import type { Catcher } from "./asl-types.ts";
import { errorRecordOf, wrappedRecord, type ErrorKind } from "./error-records.ts";
import { expression } from "./jsonata.ts";
import { lineOf, type StateNamer } from "./names.ts";
import type { BranchMode, EmittedStates, ErrorRoute } from "./operation-site.ts";

/** The ASL Variable the handler's uncaught error goes to. */
const UNCAUGHT = "uncaught";

/** What error routing needs of the graph being built. */
export interface RoutedGraph {
  out: EmittedStates;
  namer: StateNamer;
  /** The name of a block's first state, reserving it on first use. */
  entryOf(block: Block): string;
  comment(node: Node): string;
}

/**
 * How caught errors travel in one graph: a failed state's Catch stores an error record
 * (error-records.ts) in the try handler's ASL Variable and goes to the handler's entry; with no
 * handler, in the graph's own uncaught Variable and on to its uncaught-error state (a Fail at the
 * top, a `{status: "FAILED"}` end in a branch).
 */
export class ErrorRouter {
  private uncaughtState?: string;

  constructor(
    private readonly graph: RoutedGraph,
    private readonly branch: BranchMode | undefined,
    /** The ASL Variable that receives an error no catch block handles (each branch has its own: no shadowing in ASL). */
    readonly uncaughtVar: string = UNCAUGHT,
  ) {}

  /** Where an error raised in this block goes: its try handler's record and entry, or the uncaught ones. */
  routeOf(block: Block): ErrorRoute {
    const handler = block.handler;
    if (handler) return { record: handler.record.id, next: () => this.graph.entryOf(handler.entry), caught: true };
    return { record: this.uncaughtVar, next: () => this.uncaught(), caught: false };
  }

  /**
   * The Catch of a fragment Task. At the top an uncaught error ends the execution by itself, so
   * such a Task has none; in a branch it must end the item instead.
   */
  taskCatcher(block: Block, kind: ErrorKind): Catcher | undefined {
    return block.handler || this.branch ? catcher(kind, this.routeOf(block)) : undefined;
  }

  uncaught(): string {
    if (!this.uncaughtState && this.branch) {
      // The SDK wraps an item's error in ChildContextError; the item ends FAILED with it. An
      // element of promise.all keeps its own error.
      const marker = this.branch.marker;
      this.uncaughtState = this.graph.namer.name(`${this.branch.label}-failed`);
      const r = `$${this.uncaughtVar}`;
      const error = marker ? wrappedRecord("child", r) : r;
      this.graph.out.put(this.uncaughtState, { Type: "Pass", Comment: marker ? "the item failed" : "the operation failed", Output: expression(`{"status": "FAILED", "error": ${error}${endedField(this.branch)}}`), End: true });
      if (marker) this.graph.out.locate(this.uncaughtState, marker.context.call, { failedContext: marker.context.id });
    }
    if (!this.uncaughtState) {
      this.uncaughtState = this.graph.namer.name("Uncaught-error");
      this.graph.out.put(this.uncaughtState, { Type: "Fail", Comment: "an error no catch block handles ends the execution", Error: expression(`$${UNCAUGHT}.Error`), Cause: expression(`$${UNCAUGHT}.Cause`) });
    }
    return this.uncaughtState;
  }

  /** An error leaving a child context becomes a ChildContextError carrying it as cause, as the SDK does. */
  wrapChild(name: string, block: Block, context: ChildContext, record: Local): void {
    const route = this.routeOf(block);
    this.graph.out.put(name, {
      Type: "Pass",
      Comment: "wrap the error as ChildContextError",
      Assign: { [route.record]: expression(wrappedRecord("child", `$${record.id}`)) },
      Next: route.next(),
    });
    this.graph.out.locate(name, context.call, { failedContext: context.id });
  }

  /**
   * `throw` of a caught error (after a finally): on to the enclosing handler, or uncaught.
   * `record` is the local holding the error record, or JSONata for it.
   */
  rethrow(name: string, block: Block, record: Local | string, comment = "rethrow after finally"): void {
    const out = this.graph.out;
    const r = typeof record === "string" ? record : `$${record.id}`;
    if (block.handler) {
      out.put(name, {
        Type: "Pass",
        Comment: "throw the error on to the enclosing handler",
        Assign: { [block.handler.record.id]: expression(r) },
        Next: this.graph.entryOf(block.handler.entry),
      });
    } else if (this.branch) {
      out.put(name, { Type: "Pass", Comment: comment, Assign: { [this.uncaughtVar]: expression(r) }, Next: this.uncaught() });
    } else {
      out.put(name, { Type: "Fail", Comment: comment, Error: expression(`${r}.Error`), Cause: expression(`${r}.Cause`) });
    }
    out.locate(name, block.origin);
  }

  /**
   * After a code Task whose fragment catches its own error (`keptOnThrow`, selection.ts): a
   * thrown error goes to the handler, with the locals the fragment kept, as the Catch would have.
   */
  ifThrew(block: Block, at: Node, next: string): string {
    const name = this.graph.namer.name(`If-threw-line-${lineOf(at)}`);
    const handler = block.handler!;
    this.graph.out.put(name, {
      Type: "Choice",
      Comment: this.graph.comment(at),
      Choices: [{ Condition: expression(`$exists($states.input.${ReplyField.thrown})`), Assign: { [handler.record.id]: expression(`$states.input.${ReplyField.thrown}`) }, Next: this.graph.entryOf(handler.entry) }],
      Default: next,
    });
    this.graph.out.locate(name, at);
    return name;
  }
}

/** Stores the error as the SDK would name it, so that catch code and rethrows see the same thing. */
export function catcher(kind: ErrorKind, route: ErrorRoute): Catcher {
  return { ErrorEquals: ["States.ALL"], Assign: { [route.record]: expression(errorRecordOf(kind)) }, Next: route.next() };
}

/**
 * A map item or parallel branch of a batch that can complete early also says when it ended:
 * the SDK decides such a batch's completion as its items end, in time order
 * (runtime/fragments/batch.ts). So does an element of a promise combinator that waits for
 * callbacks, whose answers and timeouts come in an order only the run knows. Other batches and
 * combinators need no time.
 */
export function endedField(branch: BranchMode): string {
  return branch.marker?.ended || branch.ended ? ', "ended": $millis()' : "";
}
