import { randomUUID } from "node:crypto";
import { ACCOUNT, Limits } from "../emulator/limits.ts";
import { AwsError } from "./aws-error.ts";
import { checkName, optionalEnum, optionalString, requiredString, type Body } from "./fields.ts";
import { validateDefinitionText } from "./validation.ts";

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: "STANDARD" | "EXPRESS";
  creationDate: Date;
  updateDate?: Date;
  revisionId: string;
}

/** The state machines created on `serve`: Create/Update/Describe/List, with the API's errors. */
export class StateMachines {
  private readonly machines = new Map<string, StateMachineRecord>();

  /**
   * CreateStateMachine. As the API documents it, the call is idempotent: the same name with the same
   * definition and role returns the existing machine; a different one is StateMachineAlreadyExists.
   */
  create(body: Body, region: string): StateMachineRecord {
    const name = requiredString(body, "name");
    checkName(name, "InvalidName");
    const definition = checkedDefinition(requiredString(body, "definition", Limits.definitionBytes));
    const roleArn = requiredString(body, "roleArn", 256);
    const type = optionalEnum(body, "type", ["STANDARD", "EXPRESS"] as const) ?? "STANDARD";
    const stateMachineArn = `arn:aws:states:${region}:${ACCOUNT}:stateMachine:${name}`;
    const existing = this.machines.get(stateMachineArn);
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) return existing;
      throw new AwsError("StateMachineAlreadyExists", `State Machine Already Exists: '${stateMachineArn}'`);
    }
    const record: StateMachineRecord = { stateMachineArn, name, definition, roleArn, type, creationDate: new Date(), revisionId: randomUUID() };
    this.machines.set(stateMachineArn, record);
    return record;
  }

  /** UpdateStateMachine: running executions keep the definition they started with. */
  update(body: Body): StateMachineRecord {
    const record = this.get(requiredString(body, "stateMachineArn"));
    const definition = optionalString(body, "definition", Limits.definitionBytes);
    const roleArn = optionalString(body, "roleArn", 256);
    if (definition === undefined && roleArn === undefined) {
      throw new AwsError("MissingRequiredParameter", "Either the definition, the roleArn, loggingConfiguration or tracingConfiguration must be specified");
    }
    if (definition !== undefined) record.definition = checkedDefinition(definition);
    if (roleArn !== undefined) record.roleArn = roleArn;
    record.updateDate = new Date();
    record.revisionId = randomUUID();
    return record;
  }

  get(stateMachineArn: string): StateMachineRecord {
    const record = this.machines.get(stateMachineArn);
    if (!record) throw new AwsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${stateMachineArn}'`);
    return record;
  }

  list(): StateMachineRecord[] {
    return [...this.machines.values()];
  }
}

/** CreateStateMachine refuses what ValidateStateMachineDefinition would fail, with InvalidDefinition. */
function checkedDefinition(definition: string): string {
  const { result, diagnostics } = validateDefinitionText(definition);
  if (result === "FAIL") {
    const details = diagnostics.map((d) => `${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ""}`).join("; ");
    throw new AwsError("InvalidDefinition", `Invalid State Machine Definition: '${details}'`);
  }
  return definition;
}
