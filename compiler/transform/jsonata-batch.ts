import { Node } from "ts-morph";
import { BATCH_MARKER } from "../../protocol/index.ts";
import { isBatchResult } from "../analyze/batch-result.ts";
import type { Locals } from "../analyze/locals.ts";
import * as exact from "./jsonata-exact.ts";
import { literal, type CallTranslator, type Kind, type T } from "./jsonata-term.ts";

/**
 * Members of a `map` / `parallel` BatchResult read in JSONata, from the marker the Map or Parallel
 * state assigns the local, which carries the batch decided as the fragments decide it
 * (batch-summary.ts). The guard: the local holds that marker with its decision (not a
 * BatchResult a fragment wrote back as a class instance, nor thresholds left to fragments).
 * `throwIfError()` as a statement throws the first failed item's record on (thrownBatchError).
 * Anything else (`all`, `succeeded()`, ...) runs in a fragment.
 */

const PROPERTIES: Record<string, { kind: Kind; expr: (b: string) => string }> = {
  completionReason: { kind: "string", expr: (b) => `${b}.completionReason` },
  successCount: { kind: "number", expr: (b) => `${b}.successCount` },
  failureCount: { kind: "number", expr: (b) => `${b}.failureCount` },
  startedCount: { kind: "number", expr: (b) => `${b}.startedCount` },
  totalCount: { kind: "number", expr: (b) => `${b}.totalCount` },
  hasFailure: { kind: "boolean", expr: (b) => `(${b}.failureCount > 0)` },
  status: { kind: "string", expr: (b) => `(${b}.failureCount > 0 ? "FAILED" : "SUCCEEDED")` },
};

/** `b.completionReason`, `b.failureCount`, ... of a BatchResult local; undefined for anything else. */
export function batchPropertyJsonata(tr: CallTranslator, node: Node & { getExpression(): Node; getName(): string }): T | undefined {
  const member = Object.hasOwn(PROPERTIES, node.getName()) ? PROPERTIES[node.getName()]! : undefined;
  const b = member && decided(tr, node.getExpression());
  return b && { ...literal(member.expr(b.body), member.kind), guards: b.guards };
}

/** `b.getResults()`, and `b.getErrors().map((e) => e.message)` (or `.name`); undefined for any other call. */
export function batchCallJsonata(tr: CallTranslator, callee: Node, args: Node[]): T | undefined {
  if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken()) return undefined;
  const method = callee.getName();
  const owner = callee.getExpression();
  if (method === "getResults" && args.length === 0) {
    const b = decided(tr, owner);
    return b && { ...literal(batchResults(b.body), "array"), guards: b.guards };
  }
  if (method === "map" && args.length === 1 && Node.isCallExpression(owner) && owner.getArguments().length === 0) {
    const inner = owner.getExpression();
    const read = errorRead(args[0]!);
    if (!read || !Node.isPropertyAccessExpression(inner) || inner.hasQuestionDotToken() || inner.getName() !== "getErrors") return undefined;
    const b = decided(tr, inner.getExpression());
    if (!b) return undefined;
    // The error records of the items counted when the batch ended that failed, each read as toError rebuilds it (jsonata-exact.ts).
    const records = `[$filter(${b.body}.outcomes, function($o, $i) { $i in ${b.body}.counted and $o.status != "SUCCEEDED" }).error]`;
    const value = read === "message" ? exact.caughtMessage("$r") : exact.caughtClass("$r");
    const terms = read === "message" ? `${exact.caughtGuard("$r")} and ${exact.caughtMessageGuard("$r")}` : exact.caughtGuard("$r");
    const every = `$count([$map(${records}, function($r) { $not(${terms}) ? 1 })]) = 0`;
    return { ...literal(`[$map(${records}, function($r) { ${value} })]`, "array"), guards: [...b.guards, every] };
  }
  return undefined;
}

/** `getResults()` of the marker body `b`: the items counted when the batch ended that succeeded with a result, each kept whole (an array is one element: `[[r]]`). */
export function batchResults(b: string): string {
  const each = `function($a, $o, $i) { $i in ${b}.counted and $o.status = "SUCCEEDED" and $exists($o.result) ? $append($a, ${exact.typeIn("$o.result", "array")} ? [[$o.result]] : [$o.result]) : $a }`;
  return `$reduce(${b}.outcomes, ${each}, [])`;
}

/** `(e) => e.message` or `(e) => e.name` (an arrow or a function of one `return`): which property it reads. */
function errorRead(node: Node): "message" | "name" | undefined {
  if (!(Node.isArrowFunction(node) || Node.isFunctionExpression(node)) || node.isAsync() || node.getParameters().length !== 1) return undefined;
  const param = node.getParameters()[0]!;
  const body = node.getBody();
  const statements = Node.isBlock(body) ? body.getStatements() : [];
  const expr = Node.isBlock(body) ? (statements.length === 1 && Node.isReturnStatement(statements[0]!) ? statements[0].getExpression() : undefined) : body;
  if (!expr || !Node.isPropertyAccessExpression(expr) || expr.hasQuestionDotToken() || !Node.isIdentifier(param.getNameNode())) return undefined;
  const reads = expr.getExpression();
  if (!Node.isIdentifier(reads) || reads.getSymbol()?.getDeclarations()[0] !== param) return undefined;
  const name = expr.getName();
  return name === "message" || name === "name" ? name : undefined;
}

/**
 * `b.throwIfError();` as a statement: JSONata for the error record of the first item counted when
 * the batch ended that failed (in index order, as batch.ts throws it), missing when none did, and
 * the guard under which handing that record on is throwing what the fragment would throw: the
 * local holds the decided marker, and the record decides its error (as for a rethrow,
 * jsonata-exact.ts). `owner` is the local's name in the source.
 */
export function thrownBatchError(statement: Node, locals: Locals): { record: string; guards: string[]; owner: string } | undefined {
  const call = Node.isExpressionStatement(statement) ? statement.getExpression() : undefined;
  if (!call || !Node.isCallExpression(call) || call.getArguments().length > 0) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken() || callee.getName() !== "throwIfError") return undefined;
  const b = decided({ locals }, callee.getExpression());
  if (!b) return undefined;
  const record = `$filter(${b.body}.outcomes, function($o, $i) { $i in ${b.body}.counted and $o.status != "SUCCEEDED" })[0].error`;
  const decides = `($exists(${record}) ? ${exact.caughtGuard(record)} and ${exact.caughtMessageGuard(record)} : true)`;
  return { record, guards: [...b.guards, decides], owner: callee.getExpression().getText() };
}

/** The marker's body (`$b.__d2s_batch`) and its guard, when `ownerNode` is a local typed as the SDK's BatchResult that a map or parallel assigns; undefined otherwise. */
function decided(tr: { locals: Locals }, ownerNode: Node): { body: string; guards: string[] } | undefined {
  const local = Node.isIdentifier(ownerNode) && isBatchResult(ownerNode) ? tr.locals.resolve(ownerNode) : undefined;
  if (!local?.batch || local.isContext || local.errorRecord) return undefined;
  const body = `$${local.id}.${BATCH_MARKER}`;
  return { body, guards: [`(${exact.typeIn(`$${local.id}`, "object")} and $count($keys($${local.id})) = 1 and ${exact.typeIn(`${body}.completionReason`, "string")})`] };
}
