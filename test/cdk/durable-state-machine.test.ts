import { readFileSync } from "node:fs";
import path from "node:path";
import { App, Duration, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Asset } from "aws-cdk-lib/aws-s3-assets";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compile, type CompiledOutput } from "../../api/index.ts";
import { DurableStateMachine } from "../../api/cdk/index.ts";

/** The construct synthesizes what `durable2sfn build` compiles, with the template's grants; read back from the synthesized template. */
const ENV_INVOKE = "test/fixtures/compiler/env-invoke.ts";
const APPROVAL = "samples/approval/handler.ts";
const CHARGE_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:charge";
/** Each synth type-checks and bundles a handler in a child process: generous on a busy machine. */
const SLOW = 300_000;

type Resource = { Type: string; Properties: Record<string, any> };

function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The one resource of a type whose logical ID starts with `prefix` (CDK appends a hash). */
function one(template: Template, type: string, prefix = ""): [string, Resource] {
  const found = Object.entries(resourcesOf(template, type)).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The line and code of a fixture's `// expect D2Sxxxx` comment. */
function expected(file: string): { line: number; code: string } {
  const lines = readFileSync(file, "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes("// expect D2S")) + 1;
  return { line, code: /\/\/ expect (D2S\d+)/.exec(lines[line - 1]!)![1]! };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

describe("DurableStateMachine of a handler that invokes functions from its environment", () => {
  let app: App;
  let stack: Stack;
  let machine: DurableStateMachine;
  let payments: lambda.Function;
  let template: Template;
  let compiled: CompiledOutput;

  beforeAll(async () => {
    app = new App();
    stack = new Stack(app, "Shop");
    payments = new lambda.Function(stack, "Payments", { code: lambda.Code.fromInline("exports.handler = async () => 1"), handler: "index.handler", runtime: lambda.Runtime.NODEJS_22_X });
    machine = new DurableStateMachine(stack, "Orders", { entry: ENV_INVOKE, invokeTargets: { PAYMENT_FN: payments.functionArn, CHARGE_FN: CHARGE_ARN } });
    template = Template.fromStack(stack);
    const compilation = await compile(ENV_INVOKE, { handler: "handler" });
    compiled = compilation.outputs[0]!;
  }, SLOW);

  it("creates one state machine whose definition is the compiled JSONata ASL, placeholders filled by substitutions", () => {
    const [, resource] = one(template, "AWS::StepFunctions::StateMachine");
    const definition = JSON.parse(resource.Properties.DefinitionString);
    expect(definition).toEqual(compiled.handler.definition);
    expect(definition.QueryLanguage).toBe("JSONata");
    expect(resource.Properties.StateMachineType).toBe("STANDARD");
    expect(resource.Properties.DefinitionSubstitutions).toEqual({
      FragmentsFunctionArn: { "Fn::GetAtt": [logicalId(stack, machine.fragmentsFunction), "Arn"] },
      EnvPAYMENTFN: { "Fn::GetAtt": [logicalId(stack, payments), "Arn"] },
      EnvCHARGEFN: CHARGE_ARN,
    });
    expect(logicalId(stack, machine.stateMachine)).toBe(one(template, "AWS::StepFunctions::StateMachine")[0]);
  });

  it("logs errors with execution data to its own /aws/vendedlogs/ log group, kept 30 days", () => {
    const [, resource] = one(template, "AWS::StepFunctions::StateMachine");
    const [groupId, group] = one(template, "AWS::Logs::LogGroup", "OrdersStateMachineLogGroup");
    expect(resource.Properties.LoggingConfiguration).toEqual({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": [groupId, "Arn"] } } }],
      IncludeExecutionData: true,
      Level: "ERROR",
    });
    expect(group.Properties).toEqual({ LogGroupName: "/aws/vendedlogs/states/Shop-Orders", RetentionInDays: 30 });
  });

  it("creates the fragments function from the bundle build writes, with the runtime and handler of its template", () => {
    const [id, fn] = one(template, "AWS::Lambda::Function", "OrdersFragmentsFunction");
    expect(id).toBe(logicalId(stack, machine.fragmentsFunction));
    const sam = compiled.files["template.yaml"]!;
    expect(sam).toContain(`Handler: ${fn.Properties.Handler}`);
    expect(sam).toContain(`Runtime: ${fn.Properties.Runtime}`);
    expect(fn.Properties).toMatchObject({ Handler: "index.handler", Runtime: "nodejs22.x", MemorySize: 256, Timeout: 60 });
    expect(fn.Properties.Environment).toEqual({ Variables: { PAYMENT_FN: { "Fn::GetAtt": [logicalId(stack, payments), "Arn"] }, CHARGE_FN: CHARGE_ARN } });
    const [groupId] = one(template, "AWS::Logs::LogGroup", "OrdersFragmentsFunctionLogGroup");
    expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: "JSON", ApplicationLogLevel: "INFO", LogGroup: { Ref: groupId } });
    const asset = machine.fragmentsFunction.node.findChild("Code") as Asset;
    const staged = readFileSync(path.join(app.outdir, asset.assetPath, "index.mjs"), "utf8");
    expect(staged).toBe(compiled.files["fragments/index.mjs"]);
  });

  it("lets the state machine invoke exactly the fragments function and the invoke targets, and deliver its logs", () => {
    const [roleId, role] = one(template, "AWS::IAM::Role", "OrdersStateMachineRole");
    expect(role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal)).toEqual([{ Service: "states.amazonaws.com" }]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    const policies = Object.values(resourcesOf(template, "AWS::IAM::Policy")).filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement;
    // The log delivery of the handler's template.yaml, action for action.
    const sam = parse(compiled.files["template.yaml"]!, { version: "1.1" });
    const delivery = sam.Resources.StateMachineRole.Properties.Policies[1]["Fn::If"][1].PolicyDocument.Statement[0];
    expect(statements).toEqual([
      { Effect: "Allow", Resource: "*", Action: delivery.Action },
      {
        Sid: "InvokeFunctions",
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: [{ "Fn::GetAtt": [logicalId(stack, machine.fragmentsFunction), "Arn"] }, { "Fn::GetAtt": [logicalId(stack, payments), "Arn"] }, CHARGE_ARN],
      },
    ]);
  });

  it("lets the fragments function only write to its own log group", () => {
    const [roleId, role] = one(template, "AWS::IAM::Role", "OrdersFragmentsFunctionRole");
    const [groupId] = one(template, "AWS::Logs::LogGroup", "OrdersFragmentsFunctionLogGroup");
    expect(role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal)).toEqual([{ Service: "lambda.amazonaws.com" }]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toEqual([
      {
        PolicyName: "write-own-logs",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [{ Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: { "Fn::GetAtt": [groupId, "Arn"] } }],
        },
      },
    ]);
    const attached = Object.values(resourcesOf(template, "AWS::IAM::Policy")).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    expect(attached).toEqual([]);
  });
});

describe("DurableStateMachine props", () => {
  let template: Template;

  beforeAll(() => {
    const stack = new Stack(new App(), "Approvals");
    new DurableStateMachine(stack, "Approval", {
      entry: APPROVAL,
      stateMachineName: "approval-flow",
      logs: false,
      tracingEnabled: true,
      fragments: { functionName: "approval-steps", memorySize: 1024, timeout: Duration.minutes(5), environment: { TABLE: "approvals" }, applicationLogLevel: lambda.ApplicationLogLevel.DEBUG, logRetention: logs.RetentionDays.ONE_WEEK },
    });
    template = Template.fromStack(stack);
  }, SLOW);

  it("name the machine and turn logging off (no log delivery granted) and tracing on", () => {
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", { StateMachineName: "approval-flow", TracingConfiguration: { Enabled: true }, LoggingConfiguration: Match.absent() });
    expect(Object.keys(resourcesOf(template, "AWS::Logs::LogGroup"))).toHaveLength(1);
    const statements = Object.values(resourcesOf(template, "AWS::IAM::Policy")).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith("logs:"))).toEqual([]);
    expect(actions).toContain("xray:PutTraceSegments");
    expect(actions).toContain("lambda:InvokeFunction");
  });

  it("size and configure the fragments function", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: "approval-steps",
      MemorySize: 1024,
      Timeout: 300,
      Environment: { Variables: { TABLE: "approvals" } },
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: "DEBUG" }),
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 7 });
  });
});

describe("DurableStateMachine warnings", () => {
  it("a compiler warning becomes a CDK warning on the construct, and the synth goes on", () => {
    const file = "test/fixtures/bad/nondeterministic.ts";
    const { line, code } = expected(file);
    const stack = new Stack(new App(), "Warned");
    new DurableStateMachine(stack, "Started", { entry: file });
    Annotations.fromStack(stack).hasWarning("/Warned/Started", Match.stringLikeRegexp(`${file}:${line}:\\d+ - warning ${code}: `));
    Template.fromStack(stack).resourceCountIs("AWS::StepFunctions::StateMachine", 1);
  }, SLOW);
});

describe("DurableStateMachine refusals at synth time", () => {
  it("a handler the compiler refuses fails the synth with its diagnostics, file:line:col code message", () => {
    const file = "test/fixtures/bad/closure-mutation.ts";
    const { line, code } = expected(file);
    const stack = new Stack(new App(), "Bad");
    expect(() => new DurableStateMachine(stack, "Bad", { entry: file })).toThrow(new RegExp(`cannot compile ${file.replace(/[/.]/g, "\\$&")} \\(handler\\):\\n${file.replace(/[/.]/g, "\\$&")}:${line}:\\d+ - error ${code}: `));
  }, SLOW);

  it("a missing entry or export is one clear error", () => {
    const stack = new Stack(new App(), "Missing");
    expect(() => new DurableStateMachine(stack, "Nowhere", { entry: "src/no-such-file.ts" })).toThrow(/entry src\/no-such-file\.ts does not exist/);
    expect(() => new DurableStateMachine(stack, "NoExport", { entry: APPROVAL, handler: "nope" })).toThrow(/cannot compile samples\/approval\/handler\.ts \(nope\):\n.*nope/);
  }, SLOW);

  it("a handler that waits for callbacks cannot be an EXPRESS machine", () => {
    const stack = new Stack(new App(), "Express");
    expect(() => new DurableStateMachine(stack, "Approval", { entry: APPROVAL, stateMachineType: sfn.StateMachineType.EXPRESS })).toThrow(/cannot be an EXPRESS state machine: .*lambda:invoke\.waitForTaskToken/);
  }, SLOW);
});
