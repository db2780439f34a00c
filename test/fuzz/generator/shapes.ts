import fc from "fast-check";
import type { CombineCallbacksNode, CombineNode, CreateCallbackNode } from "./ast.ts";
import { numExpr } from "./expressions.ts";
import { answerFeature, callbackAnswer } from "./operations.ts";
import type { Printer } from "./printer.ts";

/**
 * Promise and callback shapes (issue 14), with the `shapes` features on:
 * - createCallback, with what people put between it and the await of its promise: nothing, a log
 *   line, plain code, a step that reads the id last (the id handed on), a step whose result is
 *   used and then a wait (the callback relay), a wait or a step that do not read it; the answers are part of the scenario, as for waitForCallback. The id itself never
 *   reaches the result: the SDK's and the machine's ids differ by design.
 * - promise combinators over a step, a wait and a step that may fail: `context.promise.all` /
 *   `allSettled` over an array literal, or over operations started first into consts and combined
 *   later.
 * - (`combined-callbacks`) two or three createCallback promises outstanding together, combined by
 *   `Promise.all` / `allSettled` or `context.promise.*`, maybe beside a step, their ids maybe handed
 *   to a step first (the relay).
 */

export const createCallback: fc.Arbitrary<CreateCallbackNode> = fc.record({
  k: fc.constant("createCallback" as const),
  answers: fc.array(callbackAnswer, { minLength: 1, maxLength: 3 }),
  timeoutSeconds: fc.integer({ min: 5, max: 600 }),
  between: fc.constantFrom("none" as const, "log" as const, "code" as const, "codeChanges" as const, "handStep" as const, "relayed" as const, "wait" as const, "step" as const),
  bind: fc.constantFrom("discard" as const, "const" as const, "push" as const),
});

export const combine: fc.Arbitrary<CombineNode> = fc.record({
  k: fc.constant("combine" as const),
  combinator: fc.constantFrom("all" as const, "allSettled" as const),
  startedFirst: fc.boolean(),
  waitSeconds: fc.integer({ min: 1, max: 5 }),
  failing: fc.boolean(),
  a: numExpr(1),
  b: numExpr(1),
});

export function printCreateCallback(s: CreateCallbackNode, p: Printer): boolean {
  const site = `cc${p.sites.callback++}`;
  p.feature("create-callback");
  p.feature(`createCallback-${s.between}`);
  p.callbacks[site] = s.answers;
  for (const a of s.answers) p.feature(answerFeature(a));
  const [promise, id] = [p.fresh("cbp"), p.fresh("cbid")];
  p.line(`const [${promise}, ${id}] = await context.createCallback("${site}", { timeout: { seconds: ${s.timeoutSeconds} } });`);
  switch (s.between) {
    case "none":
      break;
    case "log":
      p.line(`context.logger.info(\`${site} created: \${${id}.length > 0}\`);`);
      break;
    case "code": {
      const note = p.fresh("note");
      p.line(`const ${note} = ${id}.length > 0 ? "${site} sent" : "none";`);
      p.line(`context.logger.info(${note});`);
      break;
    }
    case "codeChanges":
      // Inside the callback's Task, where this code runs, the change would be lost after the await.
      p.line(`state.last = ${id}.length > 0 ? "${site}" : "none";`);
      p.expectRefusal.push({ code: "D2S2015", site });
      break;
    case "handStep":
      p.line(`await context.step("${site}-send", async () => (${id}.length > 0 ? 1 : 0));`);
      break;
    case "relayed":
      // The id handed on by a step whose result is used, then a wait: the callback relay's shape.
      p.line(`state.count += await context.step("${site}-send", async () => (${id}.length > 0 ? 2 : 0));`);
      p.line(`await context.wait({ seconds: 1 });`);
      break;
    case "wait":
      p.line(`await context.wait({ seconds: 2 });`);
      break;
    case "step":
      p.line(`state.count += await context.step("${site}-work", async () => 3);`);
      break;
  }
  const awaited = `await ${promise}`;
  if (s.bind === "discard") p.line(`${awaited};`);
  else {
    const name = p.fresh("t");
    p.line(`const ${name} = ${awaited};`);
    p.declare(name, "str", false);
    if (s.bind === "push") p.line(`trail.push(${name});`);
  }
  return false;
}

export function printCombine(s: CombineNode, p: Printer): boolean {
  const site = `pc${p.sites.batch++}`;
  p.feature("promise-combinators");
  p.feature(`promise-${s.combinator}`);
  if (s.startedFirst) p.feature("promise-started-first");
  const operations = [
    `context.step("${site}-a", async () => ${p.num(s.a)})`,
    `context.wait({ seconds: ${s.waitSeconds} })`,
    `context.step("${site}-b", async () => {${s.failing ? ` if (event.flag) throw new Error("${site} failed");` : ""} return ${p.num(s.b)}; }${s.failing ? ", { retryStrategy: retryPresets.noRetry }" : ""})`,
  ];
  if (s.failing) p.imports.add("retryPresets");
  let list: string;
  if (s.startedFirst) {
    const names = operations.map(() => p.fresh("op"));
    operations.forEach((operation, i) => p.line(`const ${names[i]} = ${operation};`));
    list = names.join(", ");
  } else list = operations.join(", ");
  const result = p.fresh("all");
  p.line(`const ${result} = await context.promise.${s.combinator}<number | void>([${list}]);`);
  if (s.combinator === "all") p.line(`state.count += Number(${result}[0]) + Number(${result}[2]);`);
  else {
    p.line(`trail.push(${result}.map((r) => r.status).join(","));`);
    // A named local, not narrowing on r.status: code after a `finally { throw }` is unreachable, and
    // TypeScript does not narrow there, so `r.reason` would not type-check.
    p.line(`for (const r of ${result}) if (r.status === "rejected") { const why: unknown = (r as PromiseRejectedResult).reason; trail.push(String(why instanceof Error ? (why as Error).message : why)); }`);
  }
  return false;
}

export const combineCallbacks: fc.Arbitrary<CombineCallbacksNode> = fc.record({
  k: fc.constant("combineCallbacks" as const),
  combinator: fc.constantFrom("all" as const, "allSettled" as const),
  native: fc.boolean(),
  callbacks: fc.array(fc.record({ answers: fc.array(callbackAnswer, { minLength: 1, maxLength: 3 }), readId: fc.boolean() }), { minLength: 2, maxLength: 3 }),
  withStep: fc.boolean(),
});

export function printCombineCallbacks(s: CombineCallbacksNode, p: Printer): boolean {
  p.feature("combined-callbacks");
  p.feature(`combined-callbacks-${s.combinator}${s.native ? "-native" : ""}`);
  const promises: string[] = [];
  const ids: string[] = [];
  s.callbacks.forEach((cb, i) => {
    const site = `cc${p.sites.callback++}`;
    // `all` goes on at the first failure where the SDK's other callbacks may still wait: a
    // timeout among them would end in an order the scenario does not fix (README, createCallback).
    p.callbacks[site] = s.combinator === "all" ? cb.answers.map((a) => ("timeout" in a ? { success: `"late ${i}"` } : a)) : cb.answers;
    for (const a of p.callbacks[site]!) p.feature(answerFeature(a));
    const [promise, id] = [p.fresh("cbp"), p.fresh("cbid")];
    p.line(`const [${promise}${cb.readId ? `, ${id}` : ""}] = await context.createCallback<string>("${site}", { timeout: { seconds: ${30 * (i + 1)} } });`);
    promises.push(promise);
    if (cb.readId) ids.push(id);
  });
  if (ids.length > 0) p.line(`await context.step("cc-send-${p.sites.callback}", async () => ${ids.map((id) => `${id}.length`).join(" + ")} > 0);`);
  if (s.withStep) promises.push(`context.step("cc-beside-${p.sites.callback}", async () => 5)`);
  const result = p.fresh("answers");
  // The elements resolve to strings and a number: context.promise.* takes one type argument for all.
  const call = s.native ? `Promise.${s.combinator}` : `context.promise.${s.combinator}<unknown>`;
  p.line(`const ${result} = await ${call}([${promises.join(", ")}]);`);
  if (s.combinator === "all") p.line(`trail.push((${result} as unknown[]).map((r) => String(r)).join(","));`);
  // Casts, not narrowing on r.status: TypeScript does not narrow in unreachable code (after a `finally { throw }`).
  else p.line(`for (const r of ${result}) trail.push(r.status === "fulfilled" ? String((r as PromiseFulfilledResult<unknown>).value) : \`\${(r as PromiseRejectedResult).reason?.name}: \${(r as PromiseRejectedResult).reason?.message}\`);`);
  return false;
}
