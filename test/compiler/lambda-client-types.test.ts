import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { needsRealLambdaClient } from "../../compiler/parse/lambda-client-stub.ts";
import { loadHandlerFile } from "../../compiler/parse/project.ts";
import { ts } from "ts-morph";

// A scratch project inside the repository (.tmp is ignored), so that the SDK resolves from node_modules.
const scratch = path.join(import.meta.dirname, "../../.tmp");
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(path.join(scratch, "lambda-client-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function handlerFile(name: string, head: string, options = ""): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
${head}
export const handler = withDurableExecution(async (event: { n: number }, context) => {
  return await context.step("add", async () => event.n + 1);
}${options});
`,
  );
  return file;
}

/** The Lambda client package's entry as the last load read it: the stub, the real file, or not at all. */
function lambdaClientEntry(file: string): "stub" | "real" | "absent" {
  const { sourceFile } = loadHandlerFile(file);
  const entry = sourceFile!
    .getProject()
    .getProgram()
    .compilerObject.getSourceFiles()
    .find((f) => /@aws-sdk[\\/]client-lambda[\\/]dist-types[\\/]index\.d\.ts$/.test(f.fileName));
  if (!entry) return "absent";
  return entry.text.includes("durable2sfn") ? "stub" : "real";
}

describe("the Lambda client's types, which only the SDK's `client` option needs", () => {
  it("are read as a small stub when nothing but the SDK imports them, and the handler compiles", () => {
    const file = handlerFile("plain.ts", "");
    expect(lambdaClientEntry(file)).toBe("stub");
    const result = compileFile(file);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.handlers.map((h) => h.name)).toEqual(["handler"]);
  });

  it("are read for real when the handler imports the package itself, and a real client type-checks", () => {
    const file = handlerFile("own-client.ts", `import { LambdaClient } from "@aws-sdk/client-lambda";`, ", { client: new LambdaClient({}) }");
    expect(lambdaClientEntry(file)).toBe("real");
    const result = compileFile(file);
    expect(result.diagnostics.filter((d) => d.code === "D2S1003")).toEqual([]);
    expect(result.handlers.map((h) => h.name)).toEqual(["handler"]);
  });

  it("give a wrong client tsc's own error, naming the real LambdaClient's members, not the stub's", () => {
    const file = handlerFile("wrong-client.ts", "", ", { client: {} }");
    const result = compileFile(file);
    const typeErrors = result.diagnostics.filter((d) => d.code === "D2S1003");
    expect(typeErrors).toHaveLength(1);
    expect(typeErrors[0]!.message).toMatch(/^TS2739: Type '\{\}' is missing the following properties from type 'LambdaClient': /);
    expect(typeErrors[0]!.message).not.toContain("durable2sfn");
  });

  it("are read with the stub again for the next handler in the same process", () => {
    handlerFile("own-client-again.ts", `import { LambdaClient } from "@aws-sdk/client-lambda";`, ", { client: new LambdaClient({}) }");
    expect(lambdaClientEntry(path.join(dir, "own-client-again.ts"))).toBe("real");
    expect(lambdaClientEntry(handlerFile("plain-again.ts", ""))).toBe("stub");
  });
});

describe("the real Lambda client package is read instead of the stub", () => {
  const declarations = (fileName: string, text: string) => [ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true)];
  const inSdk = "/project/node_modules/@aws/durable-execution-sdk-js/dist-types/types/x.d.ts";
  it.each([
    ["the SDK imports only the declared classes", inSdk, `import type { LambdaClient, CheckpointDurableExecutionCommand as C } from "@aws-sdk/client-lambda";\n// see @aws-sdk/client-lambda`, false],
    ["the SDK imports another name", inSdk, `import type { InvokeCommand } from "@aws-sdk/client-lambda";`, true],
    ["the SDK names a type with import()", inSdk, `export type C = import("@aws-sdk/client-lambda").LambdaClient;`, true],
    ["the SDK re-exports from the package", inSdk, `export { LambdaClient } from "@aws-sdk/client-lambda";`, true],
    ["another package imports it", "/project/node_modules/some-lib/index.d.ts", `import type { LambdaClient } from "@aws-sdk/client-lambda";`, true],
    ["a file names nothing of it", "/project/src/util.ts", `export const one = 1;`, false],
  ])("when %s", (_what, fileName, text, real) => {
    expect(needsRealLambdaClient(declarations(fileName, text))).toBe(real);
  });
});
