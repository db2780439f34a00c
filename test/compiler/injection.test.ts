import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serialize, validateDefinition } from "../../compiler/emit/asl.ts";
import { template, templateYaml } from "../../compiler/emit/template.ts";
import { invokedFunctions } from "../../compiler/emit/template-invokes.ts";
import { compileFile, type CompiledHandler } from "../../compiler/index.ts";
import { runCompiled } from "../../harness/run.ts";
import { closeOracle, verifyScenario } from "../../harness/verify.ts";
import { FRAGMENTS_FUNCTION } from "../../protocol/index.ts";
import { RESERVED_IDS } from "../../compiler/analyze/locals.ts";
import { walkStates, type StateGraph } from "../../asl/index.ts";
import { NASTY, PLACES, writeCase, type Places } from "./user-strings.ts";

/**
 * Whatever a user string holds, the compiled machine treats it as data: no JSONata it could
 * start or end, no `${...}` that CloudFormation or `deploy` would substitute, no YAML it could
 * write into template.yaml. Every case compiles, validates and runs to the result JavaScript gives.
 */

// Handlers must sit inside the repository so that they resolve the SDK from node_modules.
const root = path.join(import.meta.dirname, "../..");
let work: string;
let count = 0;

beforeAll(() => {
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  work = mkdtempSync(path.join(root, ".tmp", "injection-"));
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await closeOracle();
});

function compileOne(file: string): CompiledHandler {
  const { handlers, diagnostics } = compileFile(file);
  expect(diagnostics).toEqual([]);
  expect(handlers).toHaveLength(1);
  return handlers[0]!;
}

/** The fragments Tasks are the only places where the definition may spell a `${...}` placeholder. */
function placeholders(handler: CompiledHandler): { spelled: number; fragmentTasks: number } {
  const text = JSON.stringify(handler.definition);
  let fragmentTasks = 0;
  for (const { state } of walkStates(handler.definition as unknown as StateGraph)) {
    if ((state.Arguments as { FunctionName?: unknown } | undefined)?.FunctionName === FRAGMENTS_FUNCTION) fragmentTasks++;
  }
  return { spelled: text.split("${").length - 1, fragmentTasks };
}

async function checkCase(p: Places, s: string): Promise<void> {
  const c = writeCase(path.join(work, String(count++)), p, s);
  const handler = compileOne(c.file);
  expect(validateDefinition(handler.definition)).toEqual([]);
  const { spelled, fragmentTasks } = placeholders(handler);
  expect(spelled).toBe(fragmentTasks);
  const { report, trace } = await runCompiled(handler, c.scenario);
  expect(report.status).toBe("SUCCEEDED");
  expect(report.result).toEqual(c.expected);
  const names = trace.operations.map((o) => o.name);
  expect(names.slice(0, 3)).toEqual(c.names);
}

const same = (s: string): Places => Object.fromEntries(PLACES.map((k) => [k, s])) as unknown as Places;

describe("a user string is data wherever it lands", () => {
  it.each(NASTY.map((s) => [JSON.stringify(s), s]))("%s in every place, the comparison true", async (_label, s) => {
    await checkCase(same(s), s);
  });

  it("arbitrary strings (graphemes, any UTF-16, the nasty ones) in every place: 25 runs", async () => {
    const text = fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.constantFrom(...NASTY));
    const places = fc.record(Object.fromEntries(PLACES.map((k) => [k, text])) as Record<keyof Places, fc.Arbitrary<string>>);
    await fc.assert(
      fc.asyncProperty(places, fc.boolean(), text, async (p, equal, other) => {
        await checkCase(p, equal ? p.compared : other);
      }),
      { numRuns: 25, seed: 20261201 },
    );
  }, 120_000);

  // The SDK's LocalDurableTestRunner runs the same handler: same result, same operations.
  it.each(["{% $x %}", FRAGMENTS_FUNCTION, 'a\n"b"\\'].map((s) => [JSON.stringify(s), s]))("%s behaves as under the SDK", async (_label, s) => {
    const c = writeCase(path.join(work, String(count++)), same(s), `${s}!`);
    const v = await verifyScenario(c.file, c.scenario);
    expect(v.compiled).toEqual(v.sdk);
    expect(v.equal).toBe(true);
    expect(v.sdk.status).toBe("SUCCEEDED");
    expect(v.sdk.result).toEqual(c.expected);
  }, 60_000);
});

describe("property names that are not plain JSONata names", () => {
  const names = ["true", "false", "null", "and", "or", "in", "function", "$x", "_1", "é"];
  it("are read with the value JavaScript reads, in a condition and an assignment", async () => {
    const dir = path.join(work, "keywords");
    mkdirSync(dir, { recursive: true });
    const fields = names.map((n) => `${n}: string`).join("; ");
    const reads = names.map((n, i) => `    r${i} = event.data.${n};`).join("\n");
    const file = path.join(dir, "handler.ts");
    writeFileSync(
      file,
      `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

type Event = { data: { ${fields} }; n: number };

export const handler = withDurableExecution(async (event: Event, context: DurableContext) => {
  ${names.map((_, i) => `let r${i} = "";`).join(" ")}
  let branch = "else";
  await context.wait("first", { seconds: 1 });
  if (event.data.true === "T" && event.data.and === "A") {
    await context.wait("then", { seconds: 1 });
    branch = "then";
  }
  if (event.n > 0) {
    await context.wait("before", { seconds: 1 });
${reads}
  }
  await context.wait("after", { seconds: 1 });
  return { branch, read: [${names.map((_, i) => `r${i}`).join(", ")}] };
});
`,
    );
    const handler = compileOne(file);
    const text = serialize(handler.definition);
    // Read by JSONata (not by a fragment), so the path syntax is what is tested.
    expect(text).toContain("$event.data.`true`");
    expect(text).toContain("$event.data.`and`");
    const data = Object.fromEntries(names.map((n) => [n, `value of ${n}`]));
    for (const [data2, branch] of [[{ ...data, true: "T", and: "A" }, "then"], [data, "else"]] as const) {
      const { report } = await runCompiled(handler, { event: { data: data2, n: 1 } });
      expect(report.result).toEqual({ branch, read: names.map((n) => data2[n as keyof typeof data2]) });
    }
  });
});

describe("template.yaml and Comments with a file name that is not plain", () => {
  it("a file name with a line break, #, :, quotes and ${...} stays one comment line and one YAML string", () => {
    const dir = path.join(work, "names");
    mkdirSync(dir, { recursive: true });
    const name = `we"ird: #x\n${FRAGMENTS_FUNCTION}\u2028\u0085.ts`;
    const file = path.join(dir, name);
    writeFileSync(file, `import { withDurableExecution } from "@aws/durable-execution-sdk-js";\nexport const handler = withDurableExecution(async (event: { n: number }) => event.n);\n`);
    const handler = compileOne(file);
    const yamlText = templateYaml(handler);
    const lines = yamlText.split(/\r?\n|\r|\u0085|\u2028|\u2029/);
    expect(lines.slice(0, 3).map((l) => l.startsWith("#"))).toEqual([true, true, false]);
    expect(parse(yamlText, { version: "1.1" })).toEqual(template(handler));
    expect((parse(yamlText, { version: "1.1" }) as { Description: string }).Description).toContain(name);
    expect(placeholders(handler).spelled).toBe(placeholders(handler).fragmentTasks);
  });

  it("a FunctionName that spells ${...} is granted nothing, not fed to Fn::Sub", () => {
    const task = (name: string) => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: name }, End: true });
    const definition = { Comment: "", QueryLanguage: "JSONata" as const, StartAt: "A", States: { A: task("pay${AWS::AccountId}"), B: task("pay") } };
    expect(invokedFunctions(definition)).toEqual([{ arn: { "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:pay" } }]);
  });
});

describe("locals named like JSONata's functions", () => {
  it("do not shadow the functions the compiled expressions call", async () => {
    const dir = path.join(work, "shadow");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "handler.ts");
    writeFileSync(
      file,
      `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { flag: boolean; data: { é: string } }, context: DurableContext) => {
  let not = 5;
  let lookup = "";
  let count = 0;
  const flag = event.flag;
  await context.wait("w", { seconds: 1 });
  if (!flag) {
    await context.wait("x", { seconds: 1 });
    not = 6;
    lookup = event.data.é;
    count = count + 1;
  }
  return { not, lookup, count };
});
`,
    );
    const handler = compileOne(file);
    const text = serialize(handler.definition);
    expect(text).toContain("$not(($__v := $flag;");
    expect(text).toContain('$lookup($event.data, \\"é\\")');
    const { report } = await runCompiled(handler, { event: { flag: false, data: { é: "accent" } } });
    expect(report.result).toEqual({ not: 6, lookup: "accent", count: 1 });
  });

  it("every reserved id that JSONata defines is one of its functions", async () => {
    const jsonata = (await import("jsonata")).default;
    const stepFunctionsOnly = new Set(["partition", "range", "hash", "uuid", "parse"]);
    for (const id of RESERVED_IDS) {
      if (["states", "caught", "uncaught"].includes(id) || stepFunctionsOnly.has(id)) continue;
      expect(await jsonata(`$${id}`).evaluate({}), id).toBeDefined();
    }
  });
});
