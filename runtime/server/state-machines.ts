import { randomUUID } from "node:crypto";
import { ACCOUNT, Limits } from "../emulator/limits.ts";
import { AwsError } from "./aws-error.ts";
import { checkName, optionalEnum, optionalString, requiredString, type Body } from "./fields.ts";
import { parseArn, stateMachineArnOf } from "./arns.ts";
import { addTags, tagList } from "./tags.ts";
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
  /** ACTIVE; DELETING from DeleteStateMachine until its last execution has ended. */
  status: "ACTIVE" | "DELETING";
  tags: Map<string, string>;
}

/** The state machines created on `serve`: Create/Update/Describe/List/Delete and tags, with the API's errors. */
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
    const tags = tagList(body, "tags");
    const stateMachineArn = `arn:aws:states:${region}:${ACCOUNT}:stateMachine:${name}`;
    const existing = this.machines.get(stateMachineArn);
    if (existing) {
      if (existing.status === "DELETING") throw new AwsError("StateMachineDeleting", `State Machine is being deleted: '${stateMachineArn}'`);
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) return existing;
      throw new AwsError("StateMachineAlreadyExists", `State Machine Already Exists: '${stateMachineArn}'`);
    }
    const record: StateMachineRecord = {
      stateMachineArn,
      name,
      definition,
      roleArn,
      type,
      creationDate: new Date(),
      revisionId: randomUUID(),
      status: "ACTIVE",
      tags: new Map(),
    };
    addTags(record.tags, tags, stateMachineArn);
    this.machines.set(stateMachineArn, record);
    return record;
  }

  /** UpdateStateMachine: running executions keep the definition they started with. */
  update(body: Body): StateMachineRecord {
    const record = this.get(requiredString(body, "stateMachineArn"));
    if (record.status === "DELETING") throw new AwsError("StateMachineDeleting", `State Machine is being deleted: '${record.stateMachineArn}'`);
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

  /** The machine of an ARN; InvalidArn for what is no state machine ARN, as the API checks first. */
  get(stateMachineArn: string): StateMachineRecord {
    parseArn(stateMachineArn, ["stateMachine"]);
    const record = this.machines.get(stateMachineArn);
    if (!record) throw new AwsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${stateMachineArn}'`);
    return record;
  }

  /** StartExecution's machine: ACTIVE (a DELETING one is StateMachineDeleting); the ARN may end in `#TestCase`. */
  forStart(arn: string): { machine: StateMachineRecord; testCase?: string } {
    const { stateMachineArn, testCase } = stateMachineArnOf(arn);
    const machine = this.get(stateMachineArn);
    if (machine.status === "DELETING") throw new AwsError("StateMachineDeleting", `State Machine is being deleted: '${stateMachineArn}'`);
    return { machine, ...(testCase !== undefined && { testCase }) };
  }

  /** Oldest first, as the API lists them; DELETING ones too. */
  list(): StateMachineRecord[] {
    return [...this.machines.values()];
  }

  /**
   * DeleteStateMachine: the machine goes DELETING (no new executions) and is removed once `running`
   * (its executions still running) have ended, as the API documents. Deleting one that is gone is no error.
   */
  delete(stateMachineArn: string, running: Array<Promise<unknown>>): Promise<void> {
    parseArn(stateMachineArn, ["stateMachine"]);
    const record = this.machines.get(stateMachineArn);
    if (!record) return Promise.resolve();
    record.status = "DELETING";
    return Promise.allSettled(running).then(() => {
      if (this.machines.get(stateMachineArn) === record) this.machines.delete(stateMachineArn);
    });
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
