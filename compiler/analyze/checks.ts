import { Node, type CallExpression } from "ts-morph";
import { diagnosticAt, messages, type Diagnostic } from "../diagnostics.ts";
import { asDurableCall, isFunctionLike } from "../parse/durable-calls.ts";
import { resolveOptions } from "../parse/const-options.ts";
import type { HandlerDecl } from "../parse/handlers.ts";

const NON_DETERMINISTIC: { test: (n: Node) => boolean; what: string }[] = [
  { test: (n) => Node.isCallExpression(n) && n.getExpression().getText() === "Date.now", what: "Date.now()" },
  { test: (n) => Node.isNewExpression(n) && n.getExpression().getText() === "Date" && (n.getArguments().length ?? 0) === 0, what: "new Date()" },
  { test: (n) => Node.isCallExpression(n) && n.getExpression().getText() === "Math.random", what: "Math.random()" },
  { test: (n) => Node.isCallExpression(n) && /(^|\.)(randomUUID|randomBytes|getRandomValues)$/.test(n.getExpression().getText()), what: "a crypto random call" },
];

/** Operations whose function runs once per attempt and is checkpointed: no replay inside. */
const RUNS_ONCE = new Set(["step", "waitForCallback", "waitForCondition"]);

/** Is this node inside a function passed to a step, a submitter or a condition check? (Map and parallel functions replay.) */
function insideOperationCallback(node: Node, handlerFn: Node): boolean {
  for (let n = node.getParent(); n && n !== handlerFn; n = n.getParent()) {
    const call = isFunctionLike(n) ? asDurableCall(n.getParent() ?? n) : undefined;
    if (call && RUNS_ONCE.has(call.method)) return true;
  }
  return false;
}

/**
 * Warnings the SDK's own lint rules give: code outside steps is replayed under the SDK, so it
 * must be deterministic. The compiled machine runs it once, which hides such bugs: warn here.
 */
export function nonDeterminismWarnings(handler: HandlerDecl): Diagnostic[] {
  const out: Diagnostic[] = [];
  handler.fn.forEachDescendant((n) => {
    const rule = NON_DETERMINISTIC.find((r) => r.test(n));
    if (rule && !insideOperationCallback(n, handler.fn)) {
      out.push(diagnosticAt(n, messages.D2S2003.nonDeterministic({ what: rule.what })));
    }
  });
  return out;
}

/**
 * A map or parallel whose completion thresholds can end it before every item has ended (the
 * default is to stop at the first failure). The SDK then stops waiting for the items still
 * running (STARTED); which ones those are depends on the order items end, which the compiled
 * machine records (transform/concurrency.ts). With maxConcurrency, the SDK also never starts
 * the remaining items, while a Map state runs every iteration.
 */
export function earlyCompletionWarnings(handler: HandlerDecl): Diagnostic[] {
  const out: Diagnostic[] = [];
  handler.fn.forEachDescendant((n) => {
    const call = asDurableCall(n);
    if (!call || (call.method !== "map" && call.method !== "parallel")) return;
    const early = earlyCompletion(call.call);
    if (early) out.push(diagnosticAt(call.call, messages.D2S2014.earlyCompletion({ method: call.method, ...early })));
  });
  return out;
}

/**
 * Can this map or parallel call complete before every item has ended? Undefined when it waits
 * for every item; else whether a completionConfig says so and whether maxConcurrency limits it.
 */
export function earlyCompletion(call: CallExpression): { completionConfig: boolean; limited: boolean } | undefined {
  // The options, written inline or held by a const that cannot change (const-options.ts).
  const resolved = call.getArguments().slice(1).map((a) => resolveOptions(a)).find((r) => r !== undefined && "object" in r);
  const config = resolved && "object" in resolved ? resolved.object : undefined;
  const completion = config?.getProperty("completionConfig");
  if (completion && waitsForEveryItem(completion)) return undefined;
  return { completionConfig: completion !== undefined, limited: config?.getProperty("maxConcurrency") !== undefined };
}

/** `completionConfig: { toleratedFailurePercentage: 100 }` (nothing else): no threshold can end the batch early. */
function waitsForEveryItem(property: Node): boolean {
  const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  if (!value || !Node.isObjectLiteralExpression(value)) return false;
  const props = value.getProperties();
  return props.length === 1 && Node.isPropertyAssignment(props[0]) && props[0].getName() === "toleratedFailurePercentage" && props[0].getInitializer()?.getText() === "100";
}
