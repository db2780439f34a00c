import { AwsError } from "./aws-error.ts";

/** A Step Functions ARN, split: `arn:<partition>:states:<region>:<account>:<type>:<rest>`. */
export interface StatesArn {
  region: string;
  account: string;
  /** stateMachine, execution, express, activity, ... */
  type: string;
  /** What follows the type: a machine's name; an execution's `<machine>:<name>`. */
  rest: string;
}

const ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$/;

/**
 * The ARN checks the API makes before it looks anything up: a string that is no Step Functions ARN
 * of the expected type is InvalidArn (`Invalid Arn: 'Resource type not valid in this context: ...'`),
 * not a DoesNotExist.
 */
export function parseArn(arn: string, types: readonly string[]): StatesArn {
  const match = ARN.exec(arn);
  if (!match) throw new AwsError("InvalidArn", `Invalid Arn: '${arn.slice(0, 256)}'`);
  const [, region, account, type, rest] = match as unknown as [string, string, string, string, string];
  if (!types.includes(type)) throw new AwsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${type}'`);
  return { region, account, type, rest };
}

/** A state machine's ARN; `#TestCase` (Step Functions Local's mock test case) is split off. */
export function stateMachineArnOf(arn: string): { stateMachineArn: string; testCase?: string } {
  const hash = arn.indexOf("#");
  const stateMachineArn = hash < 0 ? arn : arn.slice(0, hash);
  parseArn(stateMachineArn, ["stateMachine"]);
  return hash < 0 ? { stateMachineArn } : { stateMachineArn, testCase: arn.slice(hash + 1) };
}
