import { Fn, Token } from "aws-cdk-lib";
import { functionVariables } from "../../compiler/emit/template.ts";
import { chosenAtRunTime, FUNCTION_ARN_PATTERN, invokedFunctions } from "../../compiler/emit/template-invokes.ts";
import type { BuiltHandler } from "./build-handler.ts";

export interface InvokeGrants {
  /** Placeholder of the definition to the ARN it becomes. */
  substitutions: Record<string, string>;
  /** What the state machine's role may invoke besides the fragments function. */
  invoked: string[];
  /** Granted for invokes whose target the handler computes at run time. */
  chosenAtRunTime: string[];
  /** Variables of the fragments function: the targets the handler reads from its environment. */
  variables: Record<string, string>;
}

/**
 * The functions the compiled machine invokes, found as template.yaml finds them
 * (template-invokes.ts), resolved from the construct's props: a literal target is granted as it
 * is; one the definition names by a placeholder is the ARN `invokeTargets` gives for its
 * environment variable (or placeholder). Missing, unknown or malformed targets are refused, so
 * that the machine never invokes a function its role was not granted, or the other way round.
 */
export function invokeGrants(
  built: Pick<BuiltHandler, "definition" | "sourceMap">,
  where: string,
  props: { invokeTargets?: Record<string, string>; invokableFunctionArns?: string[] },
): InvokeGrants {
  const given = props.invokeTargets ?? {};
  const invokes = invokedFunctions(built.definition, built);
  const substitutions: Record<string, string> = {};
  const missing: string[] = [];
  const used = new Set<string>();
  const invoked = invokes.map((f) => {
    if (!f.parameter) return typeof f.arn === "string" ? f.arn : Fn.sub((f.arn as { "Fn::Sub": string })["Fn::Sub"]);
    const key = f.variable !== undefined && f.variable in given ? f.variable : f.parameter;
    const arn = given[key];
    if (arn === undefined) {
      missing.push(f.variable ?? f.parameter);
      return "";
    }
    used.add(key);
    if (!Token.isUnresolved(arn) && !new RegExp(FUNCTION_ARN_PATTERN).test(arn)) {
      throw new Error(`DurableStateMachine: ${where}: invokeTargets.${key} must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), so that the state machine's role can grant exactly it, not ${JSON.stringify(arn)}`);
    }
    substitutions[f.parameter] = arn;
    return arn;
  });
  if (missing.length > 0) throw new Error(`DurableStateMachine: ${where} invokes the functions named by ${missing.join(", ")}: give their ARNs in invokeTargets`);
  const unknown = Object.keys(given).filter((k) => !used.has(k));
  if (unknown.length > 0) throw new Error(`DurableStateMachine: ${where}: invokeTargets names ${unknown.join(", ")}, which the handler does not invoke`);

  const dynamic = chosenAtRunTime(built.definition);
  if (dynamic && props.invokableFunctionArns === undefined) {
    throw new Error(`DurableStateMachine: ${where} invokes a function it chooses at run time: list the ARNs it may invoke in invokableFunctionArns`);
  }
  if (!dynamic && props.invokableFunctionArns !== undefined) {
    throw new Error(`DurableStateMachine: ${where}: invokableFunctionArns is given, but the handler chooses no invoke target at run time`);
  }
  const variables = Object.fromEntries(functionVariables(invokes).map(({ variable, parameter }) => [variable, substitutions[parameter]!]));
  return { substitutions, invoked, chosenAtRunTime: props.invokableFunctionArns ?? [], variables };
}
