import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { GetFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { DescribeStateMachineCommand, ListStateMachinesCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { zipSync } from "fflate";
import { FRAGMENTS_FUNCTION } from "../protocol/index.ts";
import type { AslDefinition } from "../compiler/index.ts";

/** A fixed timestamp in the zip: the same bundle always gives the same bytes, so the same CodeSha256. */
const ZIP_MTIME = new Date(Date.UTC(2020, 0, 1));

/** The fragments bundle as Lambda wants it: a zip with index.mjs at its root (Handler index.handler). */
export function fragmentsZip(bundle: string): Uint8Array {
  return zipSync({ "index.mjs": [new TextEncoder().encode(bundle), { mtime: ZIP_MTIME }] });
}

/** Lambda's CodeSha256: base64 of the SHA-256 of the zip. */
export const codeSha256 = (zip: Uint8Array) => createHash("sha256").update(zip).digest("base64");

export type Change = "create" | "update" | "unchanged";

export interface DeployPlan {
  fn: { name: string; change: Change; arn?: string; codeSha256: string };
  machine: { name: string; change: Change; arn?: string; roleArn?: string; what?: string; builtFrom?: string };
}

/**
 * What made a deployed machine, when it was not this handler: its Comment reads "<handler> from
 * <file>, compiled by durable2sfn" (emit/asl.ts), so another handler's, or a machine made by
 * hand, shows. Files are told apart by name only (the Comment holds no folder).
 */
function otherSource(deployed: { Comment?: unknown } | null, ours: AslDefinition): string | undefined {
  if (deployed?.Comment === ours.Comment) return undefined;
  const comment = typeof deployed?.Comment === "string" ? deployed.Comment : "";
  return comment.endsWith(", compiled by durable2sfn") ? comment.slice(0, -", compiled by durable2sfn".length) : "something else than durable2sfn";
}

/** The definition as deployed: the fragments placeholder replaced by the function's ARN. */
export function deployedDefinition(definition: AslDefinition, functionArn: string): string {
  return JSON.stringify(definition).split(FRAGMENTS_FUNCTION).join(functionArn);
}

/**
 * What deploy would change, read from the service without changing anything: the function is
 * created, has new code (CodeSha256 differs) or is unchanged; the state machine (found by name)
 * is created, gets a new definition or role, or is unchanged; `builtFrom` says when the machine
 * of that name was built from another handler (deploy refuses to replace it without --force).
 */
export async function planDeploy(
  clients: { sfn: SFNClient; lambda: LambdaClient },
  names: { machine: string; fn: string },
  definition: AslDefinition,
  zip: Uint8Array,
  roleArn: string | undefined,
): Promise<DeployPlan> {
  const sha = codeSha256(zip);
  const existingFn = await getFunction(clients.lambda, names.fn);
  const fn: DeployPlan["fn"] = existingFn
    ? { name: names.fn, change: existingFn.CodeSha256 === sha ? "unchanged" : "update", arn: existingFn.FunctionArn, codeSha256: sha }
    : { name: names.fn, change: "create", codeSha256: sha };

  const machineArn = await findStateMachine(clients.sfn, names.machine);
  if (!machineArn) return { fn, machine: { name: names.machine, change: "create", roleArn } };
  const current = await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
  const differences: string[] = [];
  const deployed = JSON.parse(current.definition ?? "null");
  // A function still to be created has no ARN yet, so the definition will change with it.
  if (!fn.arn || !isDeepStrictEqual(deployed, JSON.parse(deployedDefinition(definition, fn.arn)))) differences.push("definition");
  if (roleArn && roleArn !== current.roleArn) differences.push("role");
  return {
    fn,
    machine: {
      name: names.machine,
      change: differences.length > 0 ? "update" : "unchanged",
      arn: machineArn,
      roleArn: roleArn ?? current.roleArn,
      what: differences.join(" and "),
      builtFrom: otherSource(deployed, definition),
    },
  };
}

async function getFunction(lambda: LambdaClient, name: string) {
  try {
    return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
  } catch (err) {
    if ((err as Error).name === "ResourceNotFoundException") return undefined;
    throw err;
  }
}

async function findStateMachine(sfn: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((m) => m.name === name);
    if (found) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
