import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeOracle, verifyScenario } from "../../harness/verify.ts";

/**
 * Whatever the user calls its locals and its object keys, the compiled machine gives what the SDK
 * gives: no local may shadow a JSONata or Step Functions function the compiled expressions call
 * (`$count`, `$type`, `$exists`, ...) or a name the fragments use, and no key may break a JSONata
 * path (`true`, `null`, `in`, spaces, backticks, `{%`, unicode). Generated handlers run under the
 * SDK and compiled on the emulator, compared by the harness.
 */

// Handlers must sit inside the repository so that they resolve the SDK from node_modules.
const root = path.join(import.meta.dirname, "../..");
let work: string;
let count = 0;

beforeAll(() => {
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  work = mkdtempSync(path.join(root, ".tmp", "names-"));
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await closeOracle();
});

const JS_RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async of undefined NaN Infinity arguments eval event context".split(" "),
);

/** Names most likely to collide: JSONata's and Step Functions' functions, the compiler's own Variables and fragment names, keywords of JSONata. */
const TRICKY = ["count", "type", "exists", "string", "not", "lookup", "keys", "substring", "number", "boolean", "states", "caught", "uncaught", "partition", "uuid", "parse", "__v", "$v", "$d", "$thrown", "_d", "items", "index", "result", "and", "or", "function", "é", "ü_1", "count_1", "$", "_", "x$y", "x_y"];

const identifier = fc
  .oneof(fc.constantFrom(...TRICKY), fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,6}$/))
  .filter((id) => !JS_RESERVED.has(id));

/** Keys usable after a dot (`o.true`), and any string as a quoted key. */
const dotKey = fc.oneof(fc.constantFrom("true", "false", "null", "in", "and", "or", "function", "count", "type", "__proto__x", "é"), fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,5}$/));
const anyKey = fc.oneof(fc.constantFrom("a b", "`tick`", "{% x %}", "${Arn}", "", "é ü", "line\nbreak", "\u2028"), fc.string({ maxLength: 6 }));

function handlerSource(ids: string[], dot: string, quoted: string): string {
  const [total, data, item, record, failure, message] = ids;
  const q = JSON.stringify(quoted);
  return `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { data: { ${dot}: number } }, context: DurableContext) => {
  let ${total} = 0;
  let ${message} = "";
  const ${data} = event.data;
  await context.wait({ seconds: 1 });
  for (const ${item} of [1, 2]) {
    await context.wait({ seconds: ${item} });
    ${total} = ${total} + ${item};
  }
  if (${data}.${dot} === 1) {
    await context.step(\`step-\${${total}}\`, async () => 1);
    ${total} = ${total} + ${data}.${dot};
  }
  const ${record} = { ${q}: ${total}, ${dot}: ${data}.${dot} };
  try {
    await context.step("fails", async () => {
      throw new Error("boom");
    });
  } catch (${failure}) {
    await context.wait({ seconds: 1 });
    ${total} = ${total} + 1;
    ${message} = (${failure} as Error).message;
  }
  return { ${q}: ${total}, record: ${record}, caught: ${message} };
});
`;
}

describe("arbitrary identifiers and keys", () => {
  it("compile and run as under the SDK", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(identifier, { minLength: 6, maxLength: 6 }), dotKey, anyKey, fc.constantFrom(1, 2, null), async (ids, dot, quoted, value) => {
        fc.pre(quoted !== dot && quoted !== "record" && quoted !== "caught");
        const file = path.join(work, `names-${count++}.ts`);
        writeFileSync(file, handlerSource(ids, dot, quoted));
        const event = { data: value === null ? {} : { [dot]: value } };
        const v = await verifyScenario(file, { event });
        expect(v.compiled).toEqual(v.sdk);
        expect(v.sdk.status).toBe("SUCCEEDED");
      }),
      { numRuns: 16, seed: 13 },
    );
  });
});
