import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definitionProblems } from "../../asl/index.ts";
import { BROKEN_DEFINITIONS } from "../asl/broken-definitions.ts";

/**
 * The package as a user gets it: `npm pack` (which builds dist/ through prepack), then the tarball
 * installed into a scratch project beside the durable SDK only, and the commands and the API run
 * there. `npm install` fetches the SDK and durable2sfn's dependencies from the npm registry (or the
 * local npm cache, preferred): CI needs the registry for this test.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURE = path.join(ROOT, "test/fixtures/package");
const VERSION = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Each command starts Node and loads TypeScript; on a busy machine that takes a while. */
const SLOW = 180_000;

let work: string;
let project: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "d2s-package-"));
  execFileSync(npm, ["pack", "--silent", "--pack-destination", work], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  project = path.join(work, "project");
  cpSync(FIXTURE, project, { recursive: true });
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  const tarball = path.join(work, `durable2sfn-${VERSION}.tgz`);
  execFileSync(npm, ["install", "--save-dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, "@aws/durable-execution-sdk-js"], {
    cwd: project,
    stdio: ["ignore", "ignore", "inherit"],
  });
}, 2 * SLOW);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function durable2sfn(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(project, "node_modules/durable2sfn/cli/bin.mjs"), ...args], { cwd: project, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What orders.ts returns for the scenario's order: the lines' totals, less a tenth from 100.00 on. */
function expectedOrder() {
  const { event } = JSON.parse(readFileSync(path.join(FIXTURE, "scenario.json"), "utf8"));
  const total = event.lines.reduce((sum: number, l: { quantity: number; unitCents: number }) => sum + l.quantity * l.unitCents, 0);
  const discount = total >= 10_000 ? Math.round(total / 10) : 0;
  return { orderId: event.orderId, totalCents: total - discount, discountCents: discount };
}

describe("the packed package, installed beside the SDK only", () => {
  it("ships the built code, LICENSE and no tests, samples or bench", () => {
    const installed = path.join(project, "node_modules/durable2sfn");
    expect(existsSync(path.join(installed, "dist/main.js"))).toBe(true);
    expect(existsSync(path.join(installed, "dist/types/api/index.d.ts"))).toBe(true);
    expect(readFileSync(path.join(installed, "LICENSE"), "utf8")).toContain("Apache License");
    for (const absent of ["test", "samples", "bench", "cli/main.ts", "compiler"]) expect(existsSync(path.join(installed, absent))).toBe(false);
    // Only the SDK was asked for: the testing package (verify's) and @types/node are not there.
    expect(existsSync(path.join(project, "node_modules/@aws/durable-execution-sdk-js-testing"))).toBe(false);
    expect(existsSync(path.join(project, "node_modules/@types/node"))).toBe(false);
  });

  it("prints its version and its help", () => {
    expect(durable2sfn("--version")).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const help = durable2sfn("--help");
    expect(help.code).toBe(0);
    for (const command of ["build", "run", "verify", "graph", "validate", "serve", "deploy"]) expect(help.stdout).toContain(`  ${command} `);
  }, SLOW);

  it("builds a handler that reaches its own module through a tsconfig path alias", () => {
    const r = durable2sfn("build", "src/orders.ts", "--out", "out");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const asl = JSON.parse(readFileSync(path.join(project, "out/handler/state-machine.asl.json"), "utf8"));
    expect(asl.QueryLanguage).toBe("JSONata");
    expect(Object.keys(asl.States).length).toBeGreaterThan(2);
    // The fragments bundle holds the aliased module's code: it runs on Lambda without the project.
    expect(readFileSync(path.join(project, "out/handler/fragments/index.mjs"), "utf8")).toContain("Math.round");
  }, SLOW);

  it("runs the handler on the emulator", () => {
    const r = durable2sfn("run", "src/orders.ts", "--scenario", "scenario.json", "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.result).toEqual(expectedOrder());
  }, SLOW);

  it("says how to add the SDK's testing package when verify needs it", () => {
    const r = durable2sfn("verify", "src/orders.ts", "--scenario", "scenario.json");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringContaining("npm install --save-dev @aws/durable-execution-sdk-js-testing")]);
  }, SLOW);

  it("refuses bad definitions as the repository does, with the schemas it compiled at build time", () => {
    // dist/ validates with ajv's standalone code (scripts/bundle.ts); the repository compiles the
    // schemas. One definition failing each kind of custom format: JSONata, paths.
    const cases = BROKEN_DEFINITIONS.filter(([name]) => ["JSONata in Assign that does not parse", "bad path in Parameters"].includes(name));
    expect(cases).toHaveLength(2);
    for (const [i, [, definition]] of cases.entries()) {
      writeFileSync(path.join(project, `bad-${i}.asl.json`), JSON.stringify(definition));
      const r = durable2sfn("validate", `bad-${i}.asl.json`, "--json");
      expect(r.code).toBe(1);
      const [report] = JSON.parse(r.stdout) as Array<{ ok: boolean; problems: unknown[] }>;
      expect(report.problems).toEqual(definitionProblems(definition));
      expect(report.problems.length).toBeGreaterThan(0);
    }
  }, SLOW);

  it("synthesises a CDK stack with the construct of durable2sfn/cdk", () => {
    // aws-cdk-lib and constructs (optional peers: not installed above) are this repository's,
    // linked rather than fetched (160 MB); Node resolves them, and their own imports, by real path.
    for (const name of ["aws-cdk-lib", "constructs"]) symlinkSync(path.join(ROOT, "node_modules", name), path.join(project, "node_modules", name), "dir");
    const r = spawnSync(process.execPath, ["cdk-app.mjs"], { cwd: project, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const { template, functionLogicalId } = JSON.parse(r.stdout);
    const resources = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>);
    const machines = resources.filter((x) => x.Type === "AWS::StepFunctions::StateMachine");
    expect(machines).toHaveLength(1);
    const { DefinitionString, DefinitionSubstitutions } = machines[0].Properties;
    // The handler, compiled at synth time (the aliased module's code in the fragments, below).
    const definition = JSON.parse(DefinitionString);
    expect(definition.QueryLanguage).toBe("JSONata");
    expect(Object.keys(definition.States).length).toBeGreaterThan(2);
    expect(DefinitionSubstitutions).toEqual({ FragmentsFunctionArn: { "Fn::GetAtt": [functionLogicalId, "Arn"] } });
    const fragments = template.Resources[functionLogicalId];
    expect(fragments).toMatchObject({ Type: "AWS::Lambda::Function", Properties: { Handler: "index.handler", Runtime: expect.stringMatching(/^nodejs/) } });
    const asset = path.join(project, "cdk.out", `asset.${fragments.Properties.Code.S3Key.replace(/\.zip$/, "")}`, "index.mjs");
    expect(readFileSync(asset, "utf8")).toContain("Math.round");
    // The machine's role may invoke the fragments function: the grant of the template build writes.
    const statements = resources.filter((x) => x.Type === "AWS::IAM::Policy").flatMap((x) => x.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Action: "lambda:InvokeFunction", Resource: { "Fn::GetAtt": [functionLogicalId, "Arn"] } }));
    expect(resources.filter((x) => x.Type === "AWS::IAM::Role")).toHaveLength(2);
  }, SLOW);

  it("offers compile() and run(), typed, to a program of the user's", () => {
    // Type-check the program against the installed declarations (with this repository's tsc: the scratch project has none).
    const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--module", "nodenext", "--target", "es2022", "--skipLibCheck", "consumer.ts"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(tsc.stdout).toBe("");
    expect(tsc.status).toBe(0);
    const tsx = path.join(project, "node_modules/tsx/dist/cli.mjs");
    const r = spawnSync(process.execPath, [tsx, "consumer.ts"], { cwd: project, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const printed = JSON.parse(r.stdout);
    expect(printed).toMatchObject({ ok: true, folders: ["handler"], status: "SUCCEEDED" });
    expect(printed.states).toBeGreaterThan(2);
  }, SLOW);
});
