import { Node } from "ts-morph";
import type { Locals } from "../analyze/locals.ts";
import type { ValueExpr } from "../lower/cfg.ts";
import { bodyTerms, callback, everyElement, freshName } from "./jsonata-callbacks.ts";
import * as exact from "./jsonata-exact.ts";
import { operand, Translator } from "./jsonata-translator.ts";

/**
 * What the code before a Map or Parallel state computes for it (runtime/fragments/batch.ts,
 * batchInput), in JSONata where that is exact: the items as `{value, name}` (the name from an
 * inline `itemNamer`, else `map-item-<index>`) and the completion thresholds
 * (`completionConfig ?? null`), as `{"items": [...], "completion": ...}`, with the guards under
 * which it is: the items an array (else the fragment throws as the SDK does), the namer's terms
 * for every item. Options that are no object literal, or hold anything else, are left to code.
 */
export function batchInputsJsonata(op: { kind: "map" | "parallel"; items?: ValueExpr; config?: ValueExpr }, locals: Locals): { jsonata: string; guards: string[] } | undefined {
  const tr = new Translator(locals);
  const guards: string[] = [];
  const options = optionsOf(op.config?.node);
  if (!options) return undefined;
  let completion = "null";
  if (options.completionConfig) {
    const t = tr.translate(options.completionConfig);
    if (!t) return undefined;
    guards.push(...t.guards, ...(t.marker ? [exact.notMarker(t.expr)] : []));
    completion = `(${exact.nullish(operand(t))} ? null : ${t.expr})`;
  }
  if (op.kind === "parallel") return { jsonata: `{"items": [], "completion": ${completion}}`, guards };
  const items = op.items && tr.translate(op.items.node);
  if (!items || (items.kind !== "array" && items.kind !== "any")) return undefined;
  const o = operand(items);
  guards.push(...items.guards, exact.typeIn(o, "array"));
  let params: string[];
  let name: string;
  if (options.itemNamer) {
    const cb = callback(tr, options.itemNamer, ["any", "number"], 2);
    if (!cb) return undefined;
    params = cb.params;
    name = cb.body.expr;
    guards.push(...everyElement(o, params, bodyTerms(cb.body, true, exact.notMarker)));
  } else {
    params = [`$${freshName(tr, "__item")}`, `$${freshName(tr, "__index")}`];
    name = `"map-item-" & $string(${params[1]})`;
  }
  return { jsonata: `{"items": [$map(${o}, function(${params.join(", ")}) { {"value": ${params[0]}, "name": ${name}} })], "completion": ${completion}}`, guards };
}

/** The options' `completionConfig` and `itemNamer` initialisers, when the options are absent or an object literal of plain properties and nothing else. */
function optionsOf(node: Node | undefined): { completionConfig?: Node; itemNamer?: Node } | undefined {
  if (!node) return {};
  if (!Node.isObjectLiteralExpression(node)) return undefined;
  const out: { completionConfig?: Node; itemNamer?: Node } = {};
  for (const prop of node.getProperties()) {
    if (!Node.isPropertyAssignment(prop) || !Node.isIdentifier(prop.getNameNode())) return undefined;
    const key = prop.getName();
    // maxConcurrency is a literal, lifted into the state (operation-options.ts).
    if (key === "completionConfig" || key === "itemNamer") out[key] = prop.getInitializerOrThrow();
    else if (key !== "maxConcurrency") return undefined;
  }
  return out;
}
