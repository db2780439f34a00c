import { App, Lazy, Stack } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { invokeGrants } from "../../api/cdk/invoke-grants.ts";
import { compileFile } from "../../compiler/index.ts";

/** How the construct resolves the functions a compiled machine invokes, from its props; on handlers compiled here. */
const handlerOf = (file: string) => compileFile(file).handlers[0]!;
const PAY = "arn:aws:lambda:eu-west-1:111122223333:function:pay";
const CHARGE = "arn:aws:lambda:eu-west-1:111122223333:function:charge";
const WHERE = "orders.ts (handler)";
/** compileFile type-checks the handler: generous on a busy machine. */
const SLOW = 300_000;

describe("invoke targets of the construct", () => {
  const envInvoke = handlerOf("test/fixtures/compiler/env-invoke.ts");

  it("fill each placeholder from the environment variable that names it, grant it and hand it to the fragments function", () => {
    const grants = invokeGrants(envInvoke, WHERE, { invokeTargets: { PAYMENT_FN: PAY, CHARGE_FN: CHARGE } });
    expect(grants).toEqual({ substitutions: { EnvPAYMENTFN: PAY, EnvCHARGEFN: CHARGE }, invoked: [PAY, CHARGE], chosenAtRunTime: [], variables: { PAYMENT_FN: PAY, CHARGE_FN: CHARGE } });
  });

  it("take a token (an ARN known at deploy time) as it is", () => {
    const token = Lazy.string({ produce: () => PAY });
    expect(invokeGrants(envInvoke, WHERE, { invokeTargets: { PAYMENT_FN: token, CHARGE_FN: CHARGE } }).substitutions.EnvPAYMENTFN).toBe(token);
  });

  it("refuse a missing, unknown or malformed target", () => {
    expect(() => invokeGrants(envInvoke, WHERE, { invokeTargets: { PAYMENT_FN: PAY } })).toThrow(/orders\.ts \(handler\) invokes the functions named by CHARGE_FN: give their ARNs in invokeTargets/);
    expect(() => invokeGrants(envInvoke, WHERE, { invokeTargets: { PAYMENT_FN: PAY, CHARGE_FN: CHARGE, REFUND_FN: PAY } })).toThrow(/invokeTargets names REFUND_FN, which the handler does not invoke/);
    expect(() => invokeGrants(envInvoke, WHERE, { invokeTargets: { PAYMENT_FN: "pay", CHARGE_FN: CHARGE } })).toThrow(/invokeTargets\.PAYMENT_FN must be a Lambda function ARN/);
  });

  it("grant a function the handler names literally without being asked for it", () => {
    const literal = handlerOf("test/fixtures/compiler/invoke.ts");
    const grants = invokeGrants(literal, WHERE, {});
    expect(grants.substitutions).toEqual({});
    const stack = new Stack(new App(), "S");
    const resolved = grants.invoked.map((arn) => stack.resolve(arn));
    expect(resolved).toEqual(["double-fn", "boom-fn"].map((name) => ({ "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}` })));
  }, SLOW);

  it("grant a target chosen at run time only from the listed ARNs, which must be given (and only then)", () => {
    const dynamic = handlerOf("test/fixtures/compiler/runtime-opts-invoke.ts");
    expect(invokeGrants(dynamic, WHERE, { invokableFunctionArns: [PAY] }).chosenAtRunTime).toEqual([PAY]);
    expect(() => invokeGrants(dynamic, WHERE, {})).toThrow(/invokes a function it chooses at run time: list the ARNs it may invoke in invokableFunctionArns/);
    expect(() => invokeGrants(envInvoke, WHERE, { invokeTargets: { PAYMENT_FN: PAY, CHARGE_FN: CHARGE }, invokableFunctionArns: [PAY] })).toThrow(/chooses no invoke target at run time/);
  }, SLOW);
});
