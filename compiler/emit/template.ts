import { createHash } from "node:crypto";
import { stringify } from "yaml";
import type { CompiledHandler } from "../types.ts";
import { FRAGMENTS_ARN_PLACEHOLDER } from "../../protocol/index.ts";
import { relayEnvironment, relayPolicy, relayResources, usesRelay } from "./template-relay.ts";
import { sourceName } from "./source-name.ts";
import { chosenAtRunTime, FUNCTION_ARN_PATTERN, invokedFunctions, type InvokedFunction } from "./template-invokes.ts";


/** Lambda runtimes the bundle targets (emit/bundle.ts builds for node22). */
const RUNTIME = "nodejs22.x";

/** The retention periods CloudWatch Logs accepts. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * The deployable template of one handler (`template.yaml`, next to the ASL): the state machine,
 * the fragments function, their log groups and one role each, least privilege:
 * - the state machine's role may invoke exactly the fragments function (plus, once the compiler
 *   emits `context.invoke`, the functions the ASL names: see template-invokes.ts), and deliver
 *   its logs when logging is on (AWS requires `Resource: "*"` for log delivery);
 * - the function's role may only write to its own log group.
 *
 * Plain YAML with long-form intrinsics (`Fn::GetAtt`, `Fn::Sub`), so that any YAML parser reads
 * it; quoted as YAML 1.1 would need, so that `OFF` and `2012-10-17` stay strings for
 * CloudFormation. The SAM transform packages the two local paths (DefinitionUri, CodeUri) on
 * `sam deploy`.
 */
export function templateYaml(handler: CompiledHandler, machineName = defaultName(handler)): string {
  const header = [
    `# ${commentLine(`${handler.name} from ${handler.sourceMap.file}`)}, compiled by durable2sfn.`,
    "# Deploy with: sam deploy --guided (from this folder).",
    "",
  ].join("\n");
  return header + stringify(template(handler, machineName), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Text for one YAML comment line: a file name may hold line breaks (YAML 1.1 also breaks lines
 * at NEL, LS and PS), which would end the comment and start YAML of the file name's choosing.
 */
export function commentLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function template(handler: CompiledHandler, machineName = defaultName(handler)): Record<string, unknown> {
  const at = placement("", "");
  const { parameters, resources } = handlerStack(handler, machineName, at);
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Description: `${handler.name} (${handler.sourceMap.file}) as a Step Functions state machine, compiled by durable2sfn`,
    Parameters: { ...parameters.names, ...sharedParameters(), ...parameters.invokes },
    Conditions: sharedConditions(),
    Resources: resources,
    Outputs: {
      StateMachineArn: { Value: { Ref: at.id("StateMachine") } },
      FragmentsFunctionArn: { Value: { "Fn::GetAtt": [at.id("FragmentsFunction"), "Arn"] } },
    },
  };
}

/**
 * Where one handler's resources sit in a template: the prefix of their logical IDs and
 * per-handler parameters (none in the handler's own template; `Orders` in a project's), and the
 * folder of its files from the template's folder (`orders/`, or the template's own).
 */
export interface Placement {
  id: (name: string) => string;
  file: (name: string) => string;
}

export function placement(prefix: string, folder: string): Placement {
  return { id: (name) => `${prefix}${name}`, file: (name) => (folder ? `${folder}/${name}` : name) };
}

/** The parameters every handler of a template shares: log levels, retention, the function's size. */
export function sharedParameters(): Record<string, unknown> {
  return {
    StateMachineLogLevel: {
      Type: "String",
      Default: "ERROR",
      AllowedValues: ["OFF", "ALL", "ERROR", "FATAL"],
      Description: "Execution history sent to CloudWatch Logs; OFF also drops the log-delivery permissions",
    },
    FunctionLogLevel: { Type: "String", Default: "INFO", AllowedValues: ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] },
    LogRetentionDays: { Type: "Number", Default: 30, AllowedValues: RETENTION_DAYS },
    FunctionTimeoutSeconds: { Type: "Number", Default: 60, MinValue: 1, MaxValue: 900, Description: "Longest step body, in seconds" },
    FunctionMemoryMB: { Type: "Number", Default: 256, MinValue: 128, MaxValue: 10240 },
  };
}

export function sharedConditions(): Record<string, unknown> {
  return { StateMachineLogsOn: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "StateMachineLogLevel" }, "OFF"] }] } };
}

/**
 * One handler's part of a template: its names (parameters of its own), the invoke targets it
 * needs (parameters named by the placeholders of its definition, so shared by every handler of a
 * project that reads the same variable), and its resources.
 */
export function handlerStack(handler: CompiledHandler, machineName: string, at: Placement) {
  const invokes = invokedFunctions(handler.definition, handler);
  const dynamic = chosenAtRunTime(handler.definition);
  const relay = usesRelay(handler);
  const names = {
    [at.id("StateMachineName")]: { Type: "String", Default: machineName, AllowedPattern: "^[A-Za-z0-9_-]{1,80}$" },
    [at.id("FunctionName")]: { Type: "String", Default: fragmentsFunctionName(machineName), AllowedPattern: "^[A-Za-z0-9_-]{1,64}$" },
  };
  const invokeParameters = {
    ...Object.fromEntries(invokes.flatMap((f) => (f.parameter ? [[f.parameter, invokedParameter(f)]] : []))),
    ...(dynamic ? { [at.id(DYNAMIC_PARAMETER)]: dynamicParameter() } : {}),
  };
  const resources = {
    [at.id("StateMachine")]: stateMachine(invokes, at),
    [at.id("StateMachineRole")]: stateMachineRole(invokes, dynamic, at),
    [at.id("StateMachineLogGroup")]: {
      Type: "AWS::Logs::LogGroup",
      Properties: {
        LogGroupName: { "Fn::Sub": `/aws/vendedlogs/states/\${${at.id("StateMachineName")}}` },
        RetentionInDays: { Ref: "LogRetentionDays" },
      },
    },
    [at.id("FragmentsFunction")]: fragmentsFunction(invokes, at, relay),
    [at.id("FragmentsFunctionRole")]: fragmentsFunctionRole(at, relay),
    [at.id("FragmentsFunctionLogGroup")]: {
      Type: "AWS::Logs::LogGroup",
      Properties: {
        LogGroupName: { "Fn::Sub": `/aws/lambda/\${${at.id("FunctionName")}}` },
        RetentionInDays: { Ref: "LogRetentionDays" },
      },
    },
    ...(relay ? relayResources(at) : {}),
  };
  return { parameters: { names, invokes: invokeParameters }, resources };
}

/** `src-orders-handler` for the `handler` export of src/orders.ts (see source-name.ts): distinct in a project, valid as both names. */
export function defaultName(handler: CompiledHandler): string {
  return stateMachineName([sourceName(handler.file), handler.name]);
}

/** Parts joined by `-`, in the characters both names allow, at most 60 characters (room to spare under the 80 of Step Functions). */
export function stateMachineName(parts: string[]): string {
  return fitName(parts.join("-").replace(/[^A-Za-z0-9_-]/g, "-"), 60);
}

const FRAGMENTS_SUFFIX = "-fragments";

/** `<machine>-fragments`, within the 64 characters of a Lambda function name. */
export function fragmentsFunctionName(machineName: string): string {
  return fitName(machineName, 64 - FRAGMENTS_SUFFIX.length) + FRAGMENTS_SUFFIX;
}

/**
 * `name` cut to `max` characters. A cut name ends in a hash of the whole name: cut plainly, two
 * long names that start alike would become one, and two handlers would share (and overwrite)
 * one state machine or one fragments function.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, max - hash.length - 1)}-${hash}`;
}

function stateMachine(invokes: InvokedFunction[], at: Placement) {
  return {
    Type: "AWS::Serverless::StateMachine",
    Properties: {
      Name: { Ref: at.id("StateMachineName") },
      Type: "STANDARD",
      DefinitionUri: at.file("state-machine.asl.json"),
      DefinitionSubstitutions: {
        [FRAGMENTS_ARN_PLACEHOLDER]: { "Fn::GetAtt": [at.id("FragmentsFunction"), "Arn"] },
        ...Object.fromEntries(invokes.flatMap((f) => (f.parameter ? [[f.parameter, { Ref: f.parameter }]] : []))),
      },
      Role: { "Fn::GetAtt": [at.id("StateMachineRole"), "Arn"] },
      // Always configured (Level OFF logs nothing); only the delivery permissions depend on the level.
      Logging: {
        Level: { Ref: "StateMachineLogLevel" },
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": [at.id("StateMachineLogGroup"), "Arn"] } } }],
      },
    },
  };
}

/** The parameter listing the functions an invoke whose target the handler computes at run time may call. */
const DYNAMIC_PARAMETER = "InvokedFunctionArns";

function dynamicParameter() {
  return {
    Type: "CommaDelimitedList",
    Description: "ARNs of the functions the handler may invoke by a name it computes at run time: the state machine's role may invoke these and no others",
  };
}

function stateMachineRole(invokes: InvokedFunction[], dynamic: boolean, at: Placement) {
  const invokable = [{ "Fn::GetAtt": [at.id("FragmentsFunction"), "Arn"] }, ...invokes.map((f) => f.arn)];
  const chosen = { Sid: "InvokeFunctionsChosenAtRunTime", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: { Ref: at.id(DYNAMIC_PARAMETER) } };
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: assumedBy("states.amazonaws.com"),
      Policies: [
        {
          PolicyName: "invoke-functions",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Sid: "InvokeFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: invokable }, ...(dynamic ? [chosen] : [])],
          },
        },
        {
          "Fn::If": [
            "StateMachineLogsOn",
            {
              PolicyName: "deliver-logs",
              PolicyDocument: {
                Version: "2012-10-17",
                // CloudWatch Logs delivery for Step Functions does not support resource-level
                // permissions: AWS documents these actions with Resource "*".
                Statement: [
                  {
                    Sid: "DeliverExecutionLogs",
                    Effect: "Allow",
                    Action: [
                      "logs:CreateLogDelivery",
                      "logs:GetLogDelivery",
                      "logs:UpdateLogDelivery",
                      "logs:DeleteLogDelivery",
                      "logs:ListLogDeliveries",
                      "logs:PutResourcePolicy",
                      "logs:DescribeResourcePolicies",
                      "logs:DescribeLogGroups",
                    ],
                    Resource: "*",
                  },
                ],
              },
            },
            { Ref: "AWS::NoValue" },
          ],
        },
      ],
    },
  };
}

/**
 * The parameter of a function the ASL names by a placeholder. One the handler reads from its
 * environment must be an ARN: the role grants exactly it, and IAM takes no bare function name.
 */
function invokedParameter(f: InvokedFunction) {
  if (!f.variable) return { Type: "String", Description: "ARN of a function the handler invokes" };
  return {
    Type: "String",
    Description: `${f.variable} of the handler's environment: ARN of the function it invokes`,
    AllowedPattern: FUNCTION_ARN_PATTERN,
    ConstraintDescription: `${f.variable} must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), so that the state machine's role can grant exactly it`,
  };
}

/** Lambda sets these itself and refuses a function that sets them. */
const RESERVED_VARIABLE = /^(AWS_|LAMBDA_|_)/;

/**
 * The fragments function's environment: step code reading the same variables sees what the
 * machine invokes, as in the durable function. Variable and the parameter (placeholder) holding it.
 */
export function functionVariables(invokes: InvokedFunction[]): { variable: string; parameter: string }[] {
  return invokes.flatMap((f) => (f.variable && f.parameter && !RESERVED_VARIABLE.test(f.variable) ? [{ variable: f.variable, parameter: f.parameter }] : []));
}

function fragmentsEnvironment(invokes: InvokedFunction[], at: Placement, relay: boolean) {
  const variables = [...functionVariables(invokes).map(({ variable, parameter }) => [variable, { Ref: parameter }] as const), ...(relay ? relayEnvironment(at) : [])];
  return variables.length === 0 ? {} : { Environment: { Variables: Object.fromEntries(variables) } };
}

function fragmentsFunction(invokes: InvokedFunction[], at: Placement, relay: boolean) {
  return {
    Type: "AWS::Serverless::Function",
    Properties: {
      FunctionName: { Ref: at.id("FunctionName") },
      CodeUri: at.file("fragments/"),
      Handler: "index.handler",
      Runtime: RUNTIME,
      Timeout: { Ref: "FunctionTimeoutSeconds" },
      MemorySize: { Ref: "FunctionMemoryMB" },
      Role: { "Fn::GetAtt": [at.id("FragmentsFunctionRole"), "Arn"] },
      ...fragmentsEnvironment(invokes, at, relay),
      LoggingConfig: {
        LogFormat: "JSON",
        ApplicationLogLevel: { Ref: "FunctionLogLevel" },
        LogGroup: { Ref: at.id("FragmentsFunctionLogGroup") },
      },
    },
  };
}

/** Only writing to its own, pre-created log group (not even logs:CreateLogGroup), and what the callback relay needs when a handler uses it. */
function fragmentsFunctionRole(at: Placement, relay: boolean) {
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: assumedBy("lambda.amazonaws.com"),
      Policies: [
        {
          PolicyName: "write-own-logs",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [{ "Fn::GetAtt": [at.id("FragmentsFunctionLogGroup"), "Arn"] }],
              },
            ],
          },
        },
        ...(relay ? [relayPolicy(at)] : []),
      ],
    },
  };
}

function assumedBy(service: string) {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}
