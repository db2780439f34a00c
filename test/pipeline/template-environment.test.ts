import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile, type CompiledHandler } from "../../compiler/index.ts";
import { templateYaml } from "../../compiler/emit/template.ts";
import { StateNamer } from "../../compiler/transform/names.ts";
import { substituteEnvironment } from "../../harness/scenario-environment.ts";
import { ScenarioError } from "../../runtime/emulator/index.ts";

/** Invokes whose function the environment names (`process.env.PAYMENT_FN`): parameter, substitution, exact grant. */
type Template = {
  Parameters: Record<string, { Type: string; AllowedPattern?: string; Description?: string }>;
  Resources: Record<string, { Properties: Record<string, any> }>;
};

let handler: CompiledHandler;
let template: Template;

beforeAll(() => {
  handler = compileFile("test/fixtures/compiler/env-invoke.ts").handlers[0]!;
  template = parse(templateYaml(handler), { version: "1.1" }) as Template;
});

describe("invoke targets from the environment", () => {
  it("name the function by a definition substitution, one per variable", () => {
    const names = Object.values(handler.definition.States)
      .filter((s: any) => s.Resource === "arn:aws:states:::lambda:invoke" && s.Arguments.FunctionName !== "${FragmentsFunctionArn}")
      .map((s: any) => s.Arguments.FunctionName);
    expect(names).toEqual(["${EnvPAYMENTFN}", "${EnvCHARGEFN}", "${EnvPAYMENTFN}"]);
    expect(template.Resources.StateMachine!.Properties.DefinitionSubstitutions).toMatchObject({
      EnvPAYMENTFN: { Ref: "EnvPAYMENTFN" },
      EnvCHARGEFN: { Ref: "EnvCHARGEFN" },
    });
  });

  it("ask for each variable as an ARN parameter, and grant exactly those functions", () => {
    const parameter = template.Parameters.EnvPAYMENTFN!;
    expect(parameter.Description).toContain("PAYMENT_FN");
    const pattern = new RegExp(parameter.AllowedPattern!);
    expect(pattern.test("arn:aws:lambda:eu-west-1:111122223333:function:payments")).toBe(true);
    expect(pattern.test("arn:aws:lambda:eu-west-1:111122223333:function:payments:live")).toBe(true);
    expect(pattern.test("payments")).toBe(false);
    const statement = template.Resources.StateMachineRole!.Properties.Policies[0].PolicyDocument.Statement[0];
    expect(statement.Resource).toEqual([{ "Fn::GetAtt": ["FragmentsFunction", "Arn"] }, { Ref: "EnvPAYMENTFN" }, { Ref: "EnvCHARGEFN" }]);
  });

  it("give the fragments function the same variables, so step code reads what the machine invokes", () => {
    expect(template.Resources.FragmentsFunction!.Properties.Environment).toEqual({
      Variables: { PAYMENT_FN: { Ref: "EnvPAYMENTFN" }, CHARGE_FN: { Ref: "EnvCHARGEFN" } },
    });
  });

  it("are filled from the scenario over the process environment in a local run, and a missing one is one clear error", () => {
    const definition = substituteEnvironment(handler, { env: { PAYMENT_FN: "pay-fn", CHARGE_FN: 'charge"fn' } });
    const text = JSON.stringify(definition);
    expect(text).not.toContain("${Env");
    expect((definition.States as any).pay.Arguments.FunctionName).toBe("pay-fn");
    expect(text).toContain(JSON.stringify('charge"fn'));
    expect(() => substituteEnvironment(handler, { env: { CHARGE_FN: "c" } })).toThrow(ScenarioError);
    expect(() => substituteEnvironment(handler, { env: { CHARGE_FN: "c" } })).toThrow(/PAYMENT_FN is not set/);
  });

  it("a function chosen at run time is granted only from the InvokedFunctionArns the deployer lists", () => {
    const dynamic = compileFile("test/fixtures/compiler/runtime-opts-invoke.ts").handlers[0]!;
    const t = parse(templateYaml(dynamic), { version: "1.1" }) as Template;
    expect(t.Parameters.InvokedFunctionArns).toMatchObject({ Type: "CommaDelimitedList" });
    const [fixed, chosen] = t.Resources.StateMachineRole!.Properties.Policies[0].PolicyDocument.Statement;
    expect(fixed.Resource).toEqual([{ "Fn::GetAtt": ["FragmentsFunction", "Arn"] }]);
    expect(chosen).toEqual({ Sid: "InvokeFunctionsChosenAtRunTime", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: { Ref: "InvokedFunctionArns" } });
    // A handler that names every function at build time asks for no such list.
    expect(template.Parameters.InvokedFunctionArns).toBeUndefined();
  });

  it("keep variables whose letters agree apart", () => {
    const namer = new StateNamer();
    expect([namer.parameter("A_B"), namer.parameter("AB"), namer.parameter("A_B")]).toEqual(["EnvAB", "EnvAB2", "EnvAB"]);
  });
});
