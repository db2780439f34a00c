/**
 * The relay's backend on AWS: its table in DynamoDB (template.yaml makes it and names it in
 * D2S_RELAY_TABLE), its answers sent with Step Functions' SendTaskSuccess / SendTaskFailure. Both
 * clients come with the Lambda Node.js runtime (the bundle leaves `@aws-sdk/*` out); they are
 * loaded at the first relay event only, so fragments never pay for them.
 */
import { RELAY_TABLE_VARIABLE, type RelayOutcome } from "../../protocol/index.ts";
import type { RelayBackend, RelayItem, RelayStore } from "./relay.ts";

/** Items expire after Step Functions' longest execution (a year) and a margin: DynamoDB's TTL drops them. */
const KEEP_SECONDS = 400 * 86400;

type Send = (command: { name: string; input: Record<string, unknown> }) => Promise<Record<string, any>>;

/** The table's item in DynamoDB's attribute values: `callbackId` the key, the answer as its JSON text. */
function itemOf(attributes: Record<string, any> | undefined): RelayItem {
  const a = attributes ?? {};
  return {
    token: a.token?.S,
    deadline: a.deadline?.N !== undefined ? Number(a.deadline.N) : a.deadline?.NULL ? null : undefined,
    outcome: a.outcome?.S !== undefined ? (JSON.parse(a.outcome.S) as RelayOutcome) : undefined,
    answeredAt: a.answeredAt?.N !== undefined ? Number(a.answeredAt.N) : undefined,
  };
}

/** UpdateItem with ReturnValues ALL_NEW: one atomic write per call, so the two halves never overwrite each other. */
export class DynamoRelayStore implements RelayStore {
  constructor(
    private readonly table: string,
    private readonly send: Send,
    private readonly now: () => number,
  ) {}

  async register(id: string, token: string, deadline: number | null): Promise<RelayItem> {
    const out = await this.update(id, "SET #token = :token, #deadline = :deadline, #expires = if_not_exists(#expires, :expires)", {
      ":token": { S: token },
      ":deadline": deadline === null ? { NULL: true } : { N: String(deadline) },
    });
    return itemOf(out.Attributes);
  }

  async answer(id: string, outcome: RelayOutcome, at: number): Promise<RelayItem | undefined> {
    try {
      const out = await this.update(
        id,
        "SET #outcome = :outcome, #answeredAt = :at, #expires = if_not_exists(#expires, :expires)",
        { ":outcome": { S: JSON.stringify(outcome) }, ":at": { N: String(at) } },
        "attribute_not_exists(#outcome)",
      );
      return itemOf(out.Attributes);
    } catch (err) {
      if ((err as Error).name === "ConditionalCheckFailedException") return undefined;
      throw err;
    }
  }

  private update(id: string, expression: string, values: Record<string, unknown>, condition?: string) {
    const names: Record<string, string> = { "#expires": "expiresAt" };
    for (const [, name] of expression.matchAll(/#(\w+)/g)) names[`#${name}`] ??= name!;
    const expires = { N: String(Math.floor(this.now() / 1000) + KEEP_SECONDS) };
    return this.send({
      name: "UpdateItem",
      input: {
        TableName: this.table,
        Key: { callbackId: { S: id } },
        UpdateExpression: expression,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ":expires": expires },
        ReturnValues: "ALL_NEW",
      },
    });
  }
}

// Names in variables: esbuild leaves these imports to the Lambda runtime, and the type checker does not need the packages.
const DYNAMODB = "@aws-sdk/client-dynamodb";
const SFN = "@aws-sdk/client-sfn";

let backend: Promise<RelayBackend> | undefined;

/** The backend of the deployed relay, made once per Lambda instance. */
export function awsRelayBackend(): Promise<RelayBackend> {
  backend ??= (async () => {
    const table = process.env[RELAY_TABLE_VARIABLE];
    if (!table) throw new Error(`${RELAY_TABLE_VARIABLE} is not set: this function was deployed without the callback relay's table (template.yaml adds it)`);
    const dynamodb = await import(DYNAMODB);
    const sfnModule = await import(SFN);
    const client = new dynamodb.DynamoDBClient({});
    const sfn = new sfnModule.SFNClient({});
    const send: Send = (c) => client.send(new dynamodb[`${c.name}Command`](c.input));
    return {
      store: new DynamoRelayStore(table, send, Date.now),
      now: Date.now,
      tasks: {
        succeed: async (taskToken, output) => void (await sfn.send(new sfnModule.SendTaskSuccessCommand({ taskToken, output }))),
        fail: async (taskToken, error, cause) => void (await sfn.send(new sfnModule.SendTaskFailureCommand({ taskToken, error, cause }))),
      },
    };
  })();
  backend.catch(() => (backend = undefined));
  return backend;
}
