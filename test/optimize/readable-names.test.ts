import { describe, expect, it } from "vitest";
import { readableNames } from "../../compiler/optimize/readable-names.ts";
import type { StateGraph } from "../../compiler/transform/operation-site.ts";

/** A chain of states, each named and placed at a line of `source`, the last a Succeed. */
function chain(names: Array<[string, number, number]>): StateGraph {
  const states: StateGraph["states"] = {};
  names.forEach(([name], i) => {
    const next = names[i + 1]?.[0];
    states[name] = (next ? { Type: "Pass", Next: next } : { Type: "Succeed" }) as StateGraph["states"][string];
  });
  const sourceMap = Object.fromEntries(names.map(([name, line, column]) => [name, { file: "handler.ts", line, column }]));
  return { startAt: names[0]![0], states, fragments: [], sourceMap };
}

const source = [
  /* 1 */ "export const handler = withDurableExecution(async (event, context) => {",
  /* 2 */ "  const amountCents = orderTotalCents(event);",
  /* 3 */ "  await context.wait(\"reminder-pause\", { hours: 2 * event.round });",
  /* 4 */ "  if (event.late) return { orderId: event.orderId, status: \"out-of-stock\", message: m };",
  /* 5 */ "  return {",
  /* 6 */ "    orderId: event.orderId,",
  /* 7 */ "    total: { cents: amountCents, currency: \"EUR\" },",
  /* 8 */ "    ...event.extra,",
  /* 9 */ "  };",
  /* 10 */ "});",
].join("\n");

describe("readable names", () => {
  it("names guards, returns and results after the statement on their line, and inputs after their operation", () => {
    const graph = chain([
      ["Check-line-2", 2, 3],
      ["Code-line-2", 2, 3],
      ["Check-line-4", 4, 3],
      ["Compute-result-line-4", 4, 3],
      ["Compute-result-line-5", 1, 70],
      ["Return-line-5", 5, 10],
    ]);
    readableNames(graph, source);
    expect(Object.keys(graph.states)).toEqual([
      "Check-amountCents-orderTotalCents-event",
      "Code-amountCents-orderTotalCents-event",
      "Check-status-out-of-stock",
      "Result-status-out-of-stock",
      // No key with a string literal value: the object's top-level keys, a nested object's and a spread left out.
      "Result-orderId-total",
      "Return-orderId-total",
    ]);
    expect(graph.startAt).toBe("Check-amountCents-orderTotalCents-event");
    expect(Object.keys(graph.sourceMap)).toContain("Return-orderId-total");
  });

  it("names code that only works out an operation's inputs after that operation", () => {
    // Placed where the handler's function starts (`async`: no words of its own), as an operation's input code is.
    const graph = chain([["Code-line-3", 1, 45], ["Return-line-5", 5, 10]]);
    readableNames(graph, source);
    expect(Object.keys(graph.states)).toEqual(["Code-reminder-pause-input", "Return-orderId-total"]);
  });
});
