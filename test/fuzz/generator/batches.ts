import fc from "fast-check";
import type { BatchNode } from "./ast.ts";
import { numExpr } from "./expressions.ts";
import type { Printer } from "./printer.ts";

/**
 * map and parallel (ast.ts, BatchNode). Items may fail only when the batch tolerates every failure
 * (`toleratedFailurePercentage: 100`): after an early completion, the SDK's BatchResult depends on
 * timing (D2S2014), which no compiled machine can reproduce.
 */

export const batch: fc.Arbitrary<BatchNode> = fc.record({
  k: fc.constant("batch" as const),
  kind: fc.constantFrom("map" as const, "map" as const, "parallel" as const),
  over: fc.constantFrom("items" as const, "literal" as const),
  literal: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
  branches: fc.integer({ min: 1, max: 3 }),
  named: fc.boolean(),
  failWhen: fc.oneof(
    fc.constant({ k: "none" as const }),
    fc.integer({ min: 0, max: 5 }).map((n) => ({ k: "itemAbove" as const, n })),
    fc.integer({ min: 0, max: 2 }).map((i) => ({ k: "index" as const, i })),
  ),
  failRetried: fc.boolean(),
  wait: fc.boolean(),
  namer: fc.boolean(),
  maxConcurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null, freq: 3 }),
  extra: numExpr(1),
  use: fc.constantFrom("counts" as const, "results" as const, "errors" as const, "throw" as const, "destructure" as const),
});

export function printBatch(s: BatchNode, p: Printer): boolean {
  const site = `b${p.sites.batch++}`;
  p.feature(s.kind);
  const extra = p.num(s.extra);
  const failing = s.failWhen.k !== "none";
  const fail =
    s.failWhen.k === "itemAbove" ? `item > ${s.failWhen.n}` : s.failWhen.k === "index" ? `i === ${s.failWhen.i}` : "false";
  if (!s.failRetried) p.imports.add("retryPresets");
  const stepOptions = s.failRetried ? "" : ", { retryStrategy: retryPresets.noRetry }";
  // The body of one item or branch: `item` and `i` are in scope.
  const itemBody = (indent: string): string[] => [
    `${indent}const r = await ctx.step(\`${site}-\${i}\`, async () => {`,
    `${indent}  if (${fail}) throw new Error(\`${site} item \${i} failed\`);`,
    `${indent}  return item * 2 + (${extra});`,
    `${indent}}${stepOptions});`,
    ...(s.wait ? [`${indent}if (r % 2 === 0) await ctx.wait({ seconds: 1 + i });`] : []),
    `${indent}return r;`,
  ];
  const options: string[] = [];
  if (failing) {
    options.push("completionConfig: { toleratedFailurePercentage: 100 }");
    p.feature("batch-failure");
  }
  if (s.maxConcurrency !== null) options.push(`maxConcurrency: ${s.maxConcurrency}`);
  const name = p.fresh("b");
  if (s.kind === "map") {
    if (s.namer) options.push(`itemNamer: (item, i) => \`${site}-item-\${i}-\${item}\``);
    const items = s.over === "items" ? "event.items" : `([${s.literal.join(", ")}] as number[])`;
    p.line(`const ${name} = await context.map("${site}", ${items}, async (ctx, item, i) => {`);
    itemBody("  ").forEach((l) => p.line(l));
  } else {
    p.line(`const ${name} = await context.parallel("${site}", [`);
    for (let i = 0; i < s.branches; i++) {
      const pad = "  ";
      const head = s.named && i % 2 === 0 ? `{ name: "${site}-branch-${i}", func: async (ctx) => {` : "async (ctx) => {";
      [`${pad}${head}`, `${pad}  const item: number = ${i + 1}, i: number = ${i};`, ...itemBody(`${pad}  `), `${pad}}${s.named && i % 2 === 0 ? " }" : ""},`].forEach((l) => p.line(l));
    }
  }
  p.line(`${s.kind === "parallel" ? "]" : "}"}${options.length > 0 ? `, { ${options.join(", ")} }` : ""});`);
  switch (s.use) {
    case "counts":
      p.line(`trail.push(\`${site}:\${${name}.successCount}/\${${name}.failureCount}/\${${name}.totalCount} \${${name}.status} \${${name}.completionReason}\`);`);
      break;
    case "results":
      p.line(`state.count += ${name}.getResults().reduce((sum, x) => sum + x, 0);`);
      break;
    case "errors":
      p.line(`trail.push(...${name}.getErrors().map((e) => \`\${e.name}: \${e.message}\`));`);
      break;
    case "throw":
      p.line(`${name}.throwIfError();`);
      break;
    case "destructure": {
      // A hole, and an element past the end when the batch has fewer than three results.
      const [first, third] = [p.fresh("v"), p.fresh("v")];
      p.feature("batch-destructure");
      p.line(`${name}.throwIfError();`);
      p.line(`const [${first}, , ${third}] = ${name}.getResults();`);
      p.line(`trail.push(\`${site}: \${${first}} \${${third}}\`);`);
      break;
    }
  }
  return false;
}
