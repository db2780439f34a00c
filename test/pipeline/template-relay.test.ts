import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { templateYaml } from "../../compiler/emit/template.ts";

/** The callback relay's table and grants in template.yaml: present exactly when a handler's callback goes through the relay. */
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };

const templateOf = (file: string) => {
  const handler = compileFile(file).handlers[0]!;
  return { text: templateYaml(handler), template: parse(templateYaml(handler), { version: "1.1" }) as Template };
};

describe("template.yaml of a handler whose callback goes through the relay", () => {
  const { text, template } = templateOf("test/fixtures/compiler/relay-handed-on.ts");
  const resources = template.Resources;

  it("has a table keyed by callback id, its items expiring by TTL", () => {
    expect(resources.CallbackRelayTable).toEqual({
      Type: "AWS::DynamoDB::Table",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "callbackId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "callbackId", KeyType: "HASH" }],
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      },
    });
  });

  it("names the table in the fragments function's environment", () => {
    expect(resources.FragmentsFunction!.Properties.Environment).toEqual({ Variables: { D2S_RELAY_TABLE: { Ref: "CallbackRelayTable" } } });
  });

  it("lets the function write items of that table only, and answer task tokens; the state machine gets nothing more", () => {
    const policies = resources.FragmentsFunctionRole!.Properties.Policies as { PolicyName: string; PolicyDocument: { Statement: unknown[] } }[];
    expect(policies.map((p) => p.PolicyName)).toEqual(["write-own-logs", "callback-relay"]);
    expect(policies[1]!.PolicyDocument.Statement).toEqual([
      { Sid: "KeepCallbackAnswers", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: [{ "Fn::GetAtt": ["CallbackRelayTable", "Arn"] }] },
      { Sid: "AnswerTaskTokens", Effect: "Allow", Action: ["states:SendTaskSuccess", "states:SendTaskFailure"], Resource: "*" },
    ]);
    expect(JSON.stringify(resources.StateMachineRole)).not.toContain("dynamodb");
  });

  const cfnLint = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!cfnLint)("passes cfn-lint, SAM transform included (skipped where cfn-lint is not installed)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "d2s-relay-"));
    try {
      writeFileSync(path.join(dir, "template.yaml"), text);
      const r = spawnSync("cfn-lint", ["template.yaml"], { cwd: dir, encoding: "utf8" });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("template.yaml of a handler without the relay", () => {
  it("has no table, no relay variable and no relay policy (a callback awaited right after its step)", () => {
    const { text } = templateOf("test/fixtures/compiler/create-callback.ts");
    expect(text).not.toMatch(/CallbackRelayTable|D2S_RELAY_TABLE|callback-relay|dynamodb/);
  });
});
