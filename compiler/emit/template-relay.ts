import { RELAY_TABLE_VARIABLE } from "../../protocol/index.ts";
import type { CompiledHandler } from "../types.ts";

/** Where the handler's resources sit (template.ts Placement): the logical ID of one. */
type Ids = { id: (name: string) => string };

/**
 * The callback relay's part of template.yaml (runtime/fragments/relay.ts), only for a handler
 * with a createCallback whose id goes through it: a DynamoDB table (one item per callback id,
 * dropped by TTL after `expiresAt`), its name in the fragments function's environment, and the
 * function's right to write items of exactly that table and to answer task tokens.
 */
export function usesRelay(handler: CompiledHandler): boolean {
  return Object.values(handler.sourceMap.states).some((entry) => entry.relay === true);
}

export function relayResources(at: Ids): Record<string, unknown> {
  return {
    [at.id("CallbackRelayTable")]: {
      Type: "AWS::DynamoDB::Table",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "callbackId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "callbackId", KeyType: "HASH" }],
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      },
    },
  };
}

export function relayEnvironment(at: Ids): (readonly [string, unknown])[] {
  return [[RELAY_TABLE_VARIABLE, { Ref: at.id("CallbackRelayTable") }]];
}

export function relayPolicy(at: Ids) {
  return {
    PolicyName: "callback-relay",
    PolicyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Sid: "KeepCallbackAnswers", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: [{ "Fn::GetAtt": [at.id("CallbackRelayTable"), "Arn"] }] },
        // SendTaskSuccess / SendTaskFailure name a task token, not a resource: IAM takes no narrower Resource for them.
        { Sid: "AnswerTaskTokens", Effect: "Allow", Action: ["states:SendTaskSuccess", "states:SendTaskFailure"], Resource: "*" },
      ],
    },
  };
}
