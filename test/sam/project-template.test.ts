import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../pipeline/cli.ts";

/**
 * `build` of several handlers writes <out>/template.yaml, one SAM stack of them all; read back
 * as YAML and checked for structure: every reference resolves, every file it names exists, and
 * each handler's part is its own template.yaml, renamed. cfn-lint (with the SAM translator)
 * checks it too where it is installed.
 */
const FILES = ["samples/approval/handler.ts", "samples/order-saga/handler.ts", "test/fixtures/compiler/env-invoke.ts", "test/fixtures/compiler/runtime-opts-invoke.ts"];
const SLOW = 240_000;
const PSEUDO = /^AWS::(AccountId|NoValue|NotificationARNs|Partition|Region|StackId|StackName|URLSuffix)$/;

type Template = {
  Parameters: Record<string, Record<string, unknown>>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  Outputs: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};

const readTemplate = (file: string) => parse(readFileSync(file, "utf8"), { version: "1.1" }) as Template;

let root: string;
let out: string;
let stack: Template;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "d2s-sam-"));
  out = path.join(root, "out");
  const r = cli(["build", ...FILES, "--out", out]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`stack of 4 handlers -> ${path.join(out, "template.yaml")}`);
  stack = readTemplate(path.join(out, "template.yaml"));
}, SLOW);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable and `Fn::If` condition anywhere under `node`. */
function references(node: unknown, found: { refs: string[]; getAtts: [string, string][]; subs: string[]; conditions: string[] } = { refs: [], getAtts: [], subs: [], conditions: [] }) {
  if (Array.isArray(node)) for (const item of node) references(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "Ref") found.refs.push(value as string);
      else if (key === "Fn::GetAtt") found.getAtts.push(value as [string, string]);
      else if (key === "Fn::Sub") found.subs.push(...[...(value as string).matchAll(/\$\{([^}!]+)\}/g)].map((m) => m[1]!));
      else if (key === "Fn::If") found.conditions.push((value as [string])[0]);
      references(value, found);
    }
  }
  return found;
}

/**
 * A resource of a handler's own template as the project template should hold it: references to
 * its resources and per-handler parameters prefixed, references to shared parameters kept, its
 * files inside its folder.
 */
function placed(node: unknown, prefix: string, folder: string, own: Template): unknown {
  const perHandler = (name: string) => name in own.Resources || name === "StateMachineName" || name === "FunctionName" || name === "InvokedFunctionArns";
  const rename = (name: string) => (perHandler(name) ? `${prefix}${name}` : name);
  if (Array.isArray(node)) return node.map((n) => placed(n, prefix, folder, own));
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === "Ref") return [key, rename(value as string)];
      if (key === "Fn::GetAtt") return [key, [rename((value as string[])[0]!), (value as string[])[1]]];
      if (key === "Fn::Sub") return [key, (value as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => `\${${rename(name)}}`)];
      if (key === "DefinitionUri" || key === "CodeUri") return [key, `${folder}/${value as string}`];
      return [key, placed(value, prefix, folder, own)];
    }),
  );
}

/** The folder each handler's state machine reads its definition from, by the prefix of its resources. */
function prefixes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [id, r] of Object.entries(stack.Resources)) {
    if (r.Type === "AWS::Serverless::StateMachine") found.set(String(r.Properties.DefinitionUri).split("/")[0]!, id.replace(/StateMachine$/, ""));
  }
  return found;
}

describe("the project template of a build of several handlers", () => {
  it("is one stack: the six resources of each handler, under a prefix of its own", () => {
    const folders = readdirSync(out).filter((f) => statSync(path.join(out, f)).isDirectory()).sort();
    expect(folders).toHaveLength(4);
    expect([...prefixes().keys()].sort()).toEqual(folders);
    expect(new Set(prefixes().values()).size).toBe(4);
    const types = Object.values(stack.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === "AWS::Serverless::StateMachine")).toHaveLength(4);
    expect(types.filter((t) => t === "AWS::Serverless::Function")).toHaveLength(4);
    expect(types.filter((t) => t === "AWS::IAM::Role")).toHaveLength(8);
    expect(types.filter((t) => t === "AWS::Logs::LogGroup")).toHaveLength(8);
  });

  it("resolves every Ref, GetAtt, Sub variable and condition, and names only files the build wrote", () => {
    const { refs, getAtts, subs, conditions } = references({ Resources: stack.Resources, Outputs: stack.Outputs });
    const known = (name: string) => name in stack.Parameters || name in stack.Resources || PSEUDO.test(name);
    expect(refs.filter((r) => !known(r))).toEqual([]);
    expect(subs.filter((s) => !known(s.split(".")[0]!))).toEqual([]);
    expect(getAtts.filter(([id]) => !(id in stack.Resources))).toEqual([]);
    expect(conditions.filter((c) => !(c in stack.Conditions))).toEqual([]);
    for (const r of Object.values(stack.Resources)) {
      const file = r.Properties.DefinitionUri ?? r.Properties.CodeUri;
      if (file) expect(existsSync(path.join(out, file)), file).toBe(true);
    }
  });

  it("fills each definition's placeholders, exactly those it has", () => {
    for (const r of Object.values(stack.Resources).filter((r) => r.Type === "AWS::Serverless::StateMachine")) {
      const definition = readFileSync(path.join(out, r.Properties.DefinitionUri), "utf8");
      const placeholders = new Set([...definition.matchAll(/"\$\{([A-Za-z0-9]+)\}"/g)].map((m) => m[1]));
      expect(Object.keys(r.Properties.DefinitionSubstitutions).sort()).toEqual([...placeholders].sort());
    }
  });

  it("gives each handler the resources, names and grants of its own template.yaml", () => {
    for (const [folder, prefix] of prefixes()) {
      const own = readTemplate(path.join(out, folder, "template.yaml"));
      const expected = Object.fromEntries(Object.entries(own.Resources).map(([id, r]) => [`${prefix}${id}`, placed(r, prefix, folder, own)]));
      const actual = Object.fromEntries(Object.keys(own.Resources).map((id) => [`${prefix}${id}`, stack.Resources[`${prefix}${id}`]]));
      expect(actual).toEqual(expected);
      expect(stack.Parameters[`${prefix}StateMachineName`]).toEqual(own.Parameters.StateMachineName);
      expect(stack.Parameters[`${prefix}FunctionName`]).toEqual(own.Parameters.FunctionName);
    }
  });

  it("shares the log, retention and size parameters and the invoke targets; a target chosen at run time stays the handler's own", () => {
    for (const shared of ["StateMachineLogLevel", "FunctionLogLevel", "LogRetentionDays", "FunctionTimeoutSeconds", "FunctionMemoryMB", "EnvPAYMENTFN", "EnvCHARGEFN"]) expect(stack.Parameters).toHaveProperty(shared);
    const dynamic = Object.keys(stack.Parameters).filter((p) => p.endsWith("InvokedFunctionArns"));
    expect(dynamic).toEqual([`${prefixes().get("runtime-opts-invoke-handler")}InvokedFunctionArns`]);
    const defaults = Object.entries(stack.Parameters).filter(([p]) => p.endsWith("StateMachineName")).map(([, v]) => v.Default);
    expect(new Set(defaults).size).toBe(4);
  });

  it("exports each state machine's ARN and name, under export names distinct in the account", () => {
    const exports = Object.values(stack.Outputs).map((o) => (o.Export!.Name as { "Fn::Sub": string })["Fn::Sub"]);
    expect(exports).toHaveLength(8);
    expect(new Set(exports).size).toBe(8);
    for (const name of exports) expect(name).toMatch(/^\$\{AWS::StackName\}-[A-Za-z0-9]+$/);
    for (const prefix of prefixes().values()) {
      expect(stack.Outputs[`${prefix}StateMachineArn`]!.Value).toEqual({ Ref: `${prefix}StateMachine` });
      expect(stack.Outputs[`${prefix}StateMachineName`]!.Value).toEqual({ "Fn::GetAtt": [`${prefix}StateMachine`, "Name"] });
    }
  });

  const cfnLint = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!cfnLint)("passes cfn-lint, SAM transform included (skipped where cfn-lint is not installed)", () => {
    const r = spawnSync("cfn-lint", ["template.yaml"], { cwd: out, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, SLOW);
});

describe("build and the project template", () => {
  it("the same files in another order give the same template; --check compares it", () => {
    const before = readFileSync(path.join(out, "template.yaml"), "utf8");
    const again = cli(["build", ...[...FILES].reverse(), "--out", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(path.join(out, "template.yaml"), "utf8")).toBe(before);
    writeFileSync(path.join(out, "template.yaml"), `${before}# edited\n`);
    const stale = cli(["build", ...FILES, "--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(new RegExp(`^differs +${path.join(out, "template.yaml").replace(/[.]/g, "\\.")}$`, "m"));
  }, SLOW);

  it("never replaces a template.yaml durable2sfn did not write (exit 1, nothing written), and a single handler writes none", () => {
    const mine = path.join(root, "mine");
    const single = cli(["build", FILES[2]!, "--out", mine]);
    expect(single.code, single.stderr).toBe(0);
    expect(existsSync(path.join(mine, "template.yaml"))).toBe(false);
    writeFileSync(path.join(mine, "template.yaml"), "Resources: {}\n");
    const refused = cli(["build", FILES[2]!, FILES[3]!, "--out", mine]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refusing to replace ${path.join(mine, "template.yaml")}: durable2sfn did not write it; nothing was written`);
    expect(readFileSync(path.join(mine, "template.yaml"), "utf8")).toBe("Resources: {}\n");
    expect(readdirSync(mine).sort()).toEqual(["handler", "template.yaml"]);
  }, SLOW);
});
