import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { DurableStateMachine } from "../../api/cdk/index.ts";

/** The construct gives a handler whose callback goes through the relay the table and grants template.yaml gives it. */
const SLOW = 300_000;
type Resource = { Type: string; Properties: Record<string, any> };

describe("DurableStateMachine of a handler whose callback goes through the relay", () => {
  let template: Template;
  beforeAll(() => {
    const stack = new Stack(new App(), "Approvals");
    new DurableStateMachine(stack, "Approval", { entry: "test/fixtures/compiler/relay-handed-on.ts" });
    template = Template.fromStack(stack);
  }, SLOW);

  it("creates the relay's table, names it in the function's environment, and grants exactly UpdateItem on it and answering task tokens", () => {
    const tables = Object.entries(template.findResources("AWS::DynamoDB::Table") as Record<string, Resource>);
    expect(tables).toHaveLength(1);
    const [tableId, table] = tables[0]!;
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: "callbackId", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
    const fn = Object.values(template.findResources("AWS::Lambda::Function") as Record<string, Resource>)[0]!;
    expect(fn.Properties.Environment.Variables).toEqual({ D2S_RELAY_TABLE: { Ref: tableId } });
    const policies = Object.values(template.findResources("AWS::IAM::Policy") as Record<string, Resource>);
    const ofFunction = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes("FragmentsFunctionRole"));
    expect(ofFunction.flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Action: "dynamodb:UpdateItem", Effect: "Allow", Resource: [{ "Fn::GetAtt": [tableId, "Arn"] }] },
      { Sid: "AnswerTaskTokens", Action: ["states:SendTaskSuccess", "states:SendTaskFailure"], Effect: "Allow", Resource: "*" },
    ]);
    // The state machine's role gets nothing of the relay.
    expect(JSON.stringify(policies.filter((p) => !ofFunction.includes(p)))).not.toMatch(/dynamodb|SendTask/);
  });
});
