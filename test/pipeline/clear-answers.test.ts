import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, type CliResult } from "./cli.ts";

/**
 * Bad input gets one clear line naming the file and the reason, exit 1 or 2, and never a stack
 * trace. Files the commands read go to a temporary folder; handlers go under the repository's
 * .tmp/ (ignored by git), where their imports of the SDK resolve.
 */
const dir = mkdtempSync(path.join(tmpdir(), "d2s-clear-"));
mkdirSync(".tmp", { recursive: true });
const handlerDir = mkdtempSync(path.join(".tmp", "clear-answers-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(handlerDir, { recursive: true, force: true });
});

function file(name: string, content: string, where = dir): string {
  const target = path.join(where, name);
  writeFileSync(target, content);
  return target;
}

const NO_STACK = /^ {4}at /m;

/** Exactly one line on stderr, containing every fragment; the given exit code; no stack anywhere. */
function expectOneLine(r: CliResult, code: number, ...fragments: string[]): void {
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
  expect(r.code).toBe(code);
  expect(r.stderr).not.toMatch(NO_STACK);
  expect(r.stdout).not.toMatch(NO_STACK);
}

const PASS_MACHINE = JSON.stringify({ QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", End: true } } });

describe("a file that is not a state machine", () => {
  const cases: Array<[string, string, string]> = [
    ["null", "null", "it is null"],
    ["an array", "[]", "it is an array"],
    ["a number", "42", "it is a number"],
    ["an object without States", '{"StartAt": "A"}', 'it has no "States" object'],
    ["a state that is null", '{"StartAt": "A", "States": {"A": null}}', "$.States.A: a state must be a JSON object"],
  ];
  for (const [what, content, reason] of cases) {
    it(`${what}: run, validate and graph say so in one line, exit 2`, () => {
      const definition = file(`${what.replace(/ /g, "-")}.asl.json`, content);
      for (const command of ["run", "validate", "graph"]) {
        expectOneLine(cli([command, definition]), 2, definition, "not a state machine definition", reason);
      }
    });
  }
});

describe("a file that cannot be read", () => {
  it("a folder", () => {
    const folder = path.join(dir, "folder.asl.json");
    mkdirSync(folder);
    for (const command of ["run", "validate", "graph"]) expectOneLine(cli([command, folder]), 2, folder, "it is a directory");
  });

  it("a missing file", () => {
    const missing = path.join(dir, "missing.asl.json");
    for (const command of ["run", "validate", "graph"]) expectOneLine(cli([command, missing]), 2, missing, "no such file");
  });

  it.skipIf(process.getuid?.() === 0)("a file without read permission", () => {
    const locked = file("locked.asl.json", PASS_MACHINE);
    chmodSync(locked, 0o000);
    for (const command of ["run", "validate", "graph"]) expectOneLine(cli([command, locked]), 2, locked, "permission denied");
  });
});

describe("results and events that are not plain JSON", () => {
  it("a step result with a cycle fails the run cleanly (the fragment's response cannot be JSON)", () => {
    const handler = file(
      "cyclic.ts",
      `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step("make", async () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  });
});
`,
      handlerDir,
    );
    const r = cli(["run", handler, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toEqual({ errorType: "Runtime.JSONStringifyError", errorMessage: "Unable to stringify response body" });
    expect(r.stderr + r.stdout).not.toMatch(NO_STACK);
  });

  it("an event nested 10,000 deep fails the execution with a clear cause", () => {
    const machine = file("pass.asl.json", PASS_MACHINE);
    const r = cli(["run", machine, "--json", "--input", `${"[".repeat(10_000)}${"]".repeat(10_000)}`]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.error.errorType).toBe("States.Runtime");
    expect(report.error.errorMessage).toContain("The execution input cannot be turned into JSON");
    expect(r.stderr + report.error.errorMessage).not.toMatch(NO_STACK);
  });
});

describe("scenario functions", () => {
  const invoking = "test/fixtures/compiler/invoke.ts";
  const event = { n: 2, failOuter: false };

  it("a module that does not exist is named, exit 2", () => {
    const scenario = file("fn-missing.json", JSON.stringify({ event, functions: { "double-fn": "./no-such-module.ts#double" } }));
    expectOneLine(cli(["run", invoking, "--scenario", scenario]), 2, "functions.double-fn", "no-such-module.ts", "no such module");
  });

  it("a module without the export is named with the export, exit 2", () => {
    const scenario = file("fn-no-export.json", JSON.stringify({ event, functions: { "double-fn": "./invoke.ts#double" } }));
    expectOneLine(cli(["run", invoking, "--scenario", scenario]), 2, "functions.double-fn", "invoke.ts", 'no exported function "double"');
  });
});

describe("callback answers for names no operation used", () => {
  const approval = JSON.parse(readFileSync("samples/approval/scenarios/approved.json", "utf8"));
  const typo = "approver-decsion";
  const warning = `scenario answers callback "${typo}", which no operation of this run used`;
  const scenario = file("typo.json", JSON.stringify({ ...approval, callbacks: { ...approval.callbacks, [typo]: [{ success: "{}" }] } }));

  it("run of a handler warns after the run, and still succeeds", () => {
    const r = cli(["run", "samples/approval/handler.ts", "--scenario", scenario]);
    expect(r.stdout).toContain("SUCCEEDED");
    expectOneLine(r, 0, warning);
  });

  it("run of a machine file warns for a state name no task used", () => {
    const machine = file(
      "token.asl.json",
      JSON.stringify({
        QueryLanguage: "JSONata",
        StartAt: "Ask",
        States: { Ask: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Arguments: { token: "{% $states.context.Task.Token %}" }, End: true } },
      }),
    );
    const answers = file("token-scenario.json", JSON.stringify({ event: {}, callbacks: { Ask: [{ success: '{"ok":true}' }], Asq: [{ success: "{}" }] } }));
    const r = cli(["run", machine, "--scenario", answers]);
    expect(r.stdout).toContain("SUCCEEDED");
    expectOneLine(r, 0, 'scenario answers callback "Asq"');
  });

  it("verify warns too", () => {
    const r = cli(["verify", "samples/approval/handler.ts", "--scenario", scenario]);
    expect(r.stdout).toContain("equivalent");
    expect(r.stderr).toContain(warning);
    expect(r.stderr).not.toMatch(NO_STACK);
  });
});

describe("verify when the SDK has no outcome", () => {
  it("a wait of NaN seconds crashes the SDK's test runner: one line, exit 1, no internal error", () => {
    const handler = file(
      "nan-wait.ts",
      [
        'import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";',
        "export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {",
        "  await context.wait({ seconds: (event.n % 4 + 5) / 2 });",
        '  return "done";',
        "});",
      ].join("\n"),
      handlerDir,
    );
    const r = cli(["verify", handler, "--scenario", file("nan-scenario.json", '{"event": {}}')]);
    expectOneLine(r, 1, "nan-wait.ts", "the SDK gives no outcome to compare with", "Invalid time value");
    expect(r.stderr).not.toContain("internal error");
  });
});

describe("a bad --endpoint-url", () => {
  const machine = file("remote.asl.json", PASS_MACHINE);
  const handler = "samples/approval/handler.ts";

  for (const [what, url] of [
    ["not a URL", "not a url"],
    ["not http or https", "ftp://127.0.0.1:21"],
  ]) {
    it(`${what}: validate --remote and deploy exit 2`, () => {
      expectOneLine(cli(["validate", machine, "--remote", "--endpoint-url", url]), 2, "--endpoint-url must be an http:// or https:// URL", url);
      expectOneLine(cli(["deploy", handler, "--endpoint-url", url]), 2, "--endpoint-url must be an http:// or https:// URL", url);
    });
  }

  it("unreachable: validate --remote and deploy exit 1", () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const url = "http://127.0.0.1:1";
    expectOneLine(cli(["validate", machine, "--remote", "--endpoint-url", url]), 1, `cannot reach ${url}`);
    expectOneLine(cli(["deploy", handler, "--endpoint-url", url]), 1, `cannot reach ${url}`);
  });
});

describe("a JavaScript handler that does not parse", () => {
  const broken = file(
    "broken.mjs",
    [
      'import { withDurableExecution } from "@aws/durable-execution-sdk-js";',
      "export const handler = withDurableExecution(async (event, context) => {",
      '  const a = await context.step("s", async () => 1;',
      "  return a;",
      "});",
    ].join("\n"),
    handlerDir,
  );
  const scenario = file("broken-scenario.json", '{"event": {}}');

  it.each([
    ["run", ["run", broken]],
    ["verify", ["verify", broken, "--scenario", scenario]],
    ["build", ["build", broken, "--out", path.join(dir, "broken-out")]],
  ])("%s: the syntax error at its line, exit 1, no stack", (_name, args) => {
    const r = cli(args);
    expect(r.code).toBe(1);
    const [first, hint] = r.stderr.trim().split("\n");
    expect(first).toMatch(/broken\.mjs:3:50 - error D2S1003: TS1005: '\)' expected\.$/);
    expect(hint).toBe("  hint: the input must parse: fix the syntax error first");
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stderr).not.toContain("internal error");
  });
});

describe("the last safety net", () => {
  // A fault no command expects, injected into the real CLI: writing the report throws.
  const fault = file("fault.mjs", 'process.stdout.write = () => { throw new Error("injected fault"); };');
  const machine = file("safety.asl.json", PASS_MACHINE);
  const env = { NODE_OPTIONS: `--import=${path.resolve(fault)}` };

  it("an unexpected error is an internal error: one line naming the file, a request to report it, exit 1, no stack", () => {
    const r = cli(["run", machine], env);
    expectOneLine(r, 1, `durable2sfn: ${machine}: internal error`, "please report it", "injected fault");
  });

  it("DURABLE2SFN_DEBUG=1 adds the stack", () => {
    const r = cli(["run", machine], { ...env, DURABLE2SFN_DEBUG: "1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("internal error");
    expect(r.stderr).toContain("injected fault");
    expect(r.stderr).toMatch(NO_STACK);
  });
});
