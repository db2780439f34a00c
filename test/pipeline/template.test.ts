import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile, writeHandlerOutputs, type CompiledHandler } from "../../compiler/index.ts";
import { templateYaml } from "../../compiler/emit/template.ts";
import { FRAGMENTS_ARN_PLACEHOLDER } from "../../protocol/index.ts";

type Template = {
  Parameters: Record<string, { Type: string; Default?: unknown }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  Outputs: Record<string, unknown>;
};

let handler: CompiledHandler;
let template: Template;

beforeAll(() => {
  const compiled = compileFile("test/fixtures/compiler/steps.ts");
  handler = compiled.handlers[0]!;
  template = parse(templateYaml(handler), { version: "1.1" }) as Template;
});

/** Every statement of every inline policy of a role, with Fn::If branches taken as written. */
function statements(role: string): Array<{ Action: string[]; Resource: unknown }> {
  const policies = template.Resources[role]!.Properties.Policies as any[];
  return policies
    .map((p) => (p["Fn::If"] ? p["Fn::If"][1] : p))
    .flatMap((p) => p.PolicyDocument.Statement);
}

/** Ref and Fn::GetAtt targets anywhere in a value. */
function references(value: unknown, out: { refs: string[]; atts: string[]; subs: string[] } = { refs: [], atts: [], subs: [] }) {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "Ref") out.refs.push(v as string);
      else if (k === "Fn::GetAtt") out.atts.push((v as string[])[0]!);
      else if (k === "Fn::Sub") out.subs.push(...[...String(v).matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!));
      else references(v, out);
    }
  }
  return out;
}

describe("template.yaml", () => {
  it("declares the state machine from the built ASL, the fragments function and one role each", () => {
    const types = Object.fromEntries(Object.entries(template.Resources).map(([k, r]) => [k, r.Type]));
    expect(types).toEqual({
      StateMachine: "AWS::Serverless::StateMachine",
      StateMachineRole: "AWS::IAM::Role",
      StateMachineLogGroup: "AWS::Logs::LogGroup",
      FragmentsFunction: "AWS::Serverless::Function",
      FragmentsFunctionRole: "AWS::IAM::Role",
      FragmentsFunctionLogGroup: "AWS::Logs::LogGroup",
    });
    const machine = template.Resources.StateMachine!.Properties;
    expect(machine.DefinitionUri).toBe("state-machine.asl.json");
    expect(machine.DefinitionSubstitutions).toEqual({ [FRAGMENTS_ARN_PLACEHOLDER]: { "Fn::GetAtt": ["FragmentsFunction", "Arn"] } });
    expect(machine.Role).toEqual({ "Fn::GetAtt": ["StateMachineRole", "Arn"] });
    const fn = template.Resources.FragmentsFunction!.Properties;
    expect(fn).toMatchObject({ Runtime: "nodejs22.x", Handler: "index.handler", CodeUri: "fragments/" });
    expect(fn.Role).toEqual({ "Fn::GetAtt": ["FragmentsFunctionRole", "Arn"] });
  });

  it("every placeholder of the ASL has a substitution", () => {
    const placeholders = new Set([...JSON.stringify(handler.definition).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...placeholders]).toEqual(Object.keys(template.Resources.StateMachine!.Properties.DefinitionSubstitutions));
  });

  it("the state machine may invoke exactly the fragments function; log delivery only when logging is on", () => {
    const [invoke, logs] = statements("StateMachineRole");
    expect(invoke).toMatchObject({ Action: ["lambda:InvokeFunction"], Resource: [{ "Fn::GetAtt": ["FragmentsFunction", "Arn"] }] });
    expect(logs!.Action.every((a) => a.startsWith("logs:"))).toBe(true);
    const conditional = (template.Resources.StateMachineRole!.Properties.Policies as any[])[1];
    expect(conditional["Fn::If"][0]).toBe("StateMachineLogsOn");
    expect(conditional["Fn::If"][2]).toEqual({ Ref: "AWS::NoValue" });
    const assumed = template.Resources.StateMachineRole!.Properties.AssumeRolePolicyDocument.Statement[0].Principal;
    expect(assumed).toEqual({ Service: "states.amazonaws.com" });
  });

  it("the function's role only writes to its own log group", () => {
    expect(statements("FragmentsFunctionRole")).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [{ "Fn::GetAtt": ["FragmentsFunctionLogGroup", "Arn"] }],
      },
    ]);
    const all = JSON.stringify(template.Resources.FragmentsFunctionRole);
    expect(all).not.toContain("lambda:");
    expect(all).not.toContain('"*"');
  });

  it("names and log settings are parameters, and every reference resolves", () => {
    expect(Object.keys(template.Parameters)).toEqual(
      expect.arrayContaining(["StateMachineName", "FunctionName", "StateMachineLogLevel", "FunctionLogLevel", "LogRetentionDays"]),
    );
    expect(template.Parameters.StateMachineName!.Default).toBe("test-fixtures-compiler-steps-handler");
    expect(template.Parameters.StateMachineLogLevel!.Default).toBe("ERROR");
    const { refs, atts, subs } = references({ Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions });
    const known = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), "AWS::NoValue", "AWS::Region", "AWS::AccountId", "AWS::Partition"]);
    for (const name of [...refs, ...atts, ...subs]) expect(known, name).toContain(name);
  });

  it("quotes what YAML 1.1 would read as a boolean or a date", () => {
    const text = templateYaml(handler);
    expect(text).toContain('"OFF"');
    expect(text).toContain('Version: "2012-10-17"');
    expect(text).toContain('AWSTemplateFormatVersion: "2010-09-09"');
  });

  it("context.invoke hook: other functions named by lambda:invoke tasks are added to the role, placeholders become parameters", () => {
    const definition = structuredClone(handler.definition);
    const invoke = (name: string) => ({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: name, Payload: {} },
      End: true,
    });
    definition.States = {
      ...definition.States,
      Payments: invoke("${PaymentsFunctionArn}"),
      Literal: invoke("arn:aws:lambda:us-east-1:111122223333:function:audit"),
      Dynamic: invoke("{% $states.input.fn %}"),
    };
    const t = parse(templateYaml({ ...handler, definition }), { version: "1.1" }) as Template;
    const resources = t.Resources.StateMachineRole!.Properties.Policies[0].PolicyDocument.Statement[0].Resource;
    expect(resources).toEqual([
      { "Fn::GetAtt": ["FragmentsFunction", "Arn"] },
      { Ref: "PaymentsFunctionArn" },
      "arn:aws:lambda:us-east-1:111122223333:function:audit",
    ]);
    expect(t.Parameters.PaymentsFunctionArn).toMatchObject({ Type: "String" });
    expect(t.Resources.StateMachine!.Properties.DefinitionSubstitutions.PaymentsFunctionArn).toEqual({ Ref: "PaymentsFunctionArn" });
  });

  it("build writes template.yaml next to the ASL", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "d2s-template-")), "handler");
    await writeHandlerOutputs(handler, out);
    expect(existsSync(path.join(out, "state-machine.asl.json"))).toBe(true);
    expect(readFileSync(path.join(out, "template.yaml"), "utf8")).toBe(templateYaml(handler));
  });
});
