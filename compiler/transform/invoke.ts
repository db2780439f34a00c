import { Node } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { environmentRead } from "../parse/environment.ts";
import { knownString } from "../parse/known-values.ts";
import type { TaskState } from "./asl-types.ts";
import { expression, literalValue } from "./jsonata.ts";
import { LAMBDA_INVOKE, SERVICE_RETRIER } from "./lambda.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";

/**
 * An input that is undefined at run time (a missing field, a function returning nothing) is sent
 * as no input at all, `{}`, as the SDK sends it; a Task's Payload cannot be left without a value.
 */
function orEmpty(input: Node, jsonata: string): string {
  if (Node.isObjectLiteralExpression(input) || Node.isArrayLiteralExpression(input)) return jsonata;
  return `($input := ${jsonata}; $exists($input) ? $input : {})`;
}

/** `invoke`: a Task calling the other function; its failure reaches catch code as InvokeError. */
export function emitInvoke(site: OperationSite<OpOf<"invoke">>): void {
  const { op, name, block, tools } = site;
  const fnNode = op.functionId.node;
  const functionName = knownString(fnNode);
  const variable = functionName === undefined ? environmentRead(fnNode) : undefined;
  // A function named by the environment: a `${Parameter}` that the template's DefinitionSubstitutions
  // (or a local run, from the scenario or the process) fill with the variable's value.
  const environment = variable === undefined ? undefined : { variable, parameter: site.namer.parameter(variable) };
  let target: string;
  if (functionName !== undefined) target = literalValue(functionName);
  else if (environment) target = `\${${environment.parameter}}`;
  // Chosen at run time (`event.functionName`): JSONata, or what the code before computed.
  // template.yaml grants what its InvokedFunctionArns parameter lists (template-invokes.ts).
  else target = expression(site.computed.functionName ? "$states.input.functionName" : tools.jsonata(op.functionId)!);
  const payload = !op.input ? {} : expression(orEmpty(op.input.node, site.computed.payload ? "$states.input.payload" : tools.jsonata(op.input)!));
  const state: TaskState = {
    Type: "Task",
    Comment: tools.comment(op.call),
    Resource: LAMBDA_INVOKE,
    // A literal name is the user's text: never an expression, never a deploy-time placeholder.
    Arguments: { FunctionName: target, Payload: payload },
    Output: expression("$states.result.Payload"),
    Retry: [SERVICE_RETRIER],
    Catch: [tools.catcher("invoke")],
    Next: site.next,
  };
  if (site.target) state.Assign = { [site.target.id]: expression("$states.result.Payload") };
  site.out.put(name, state);
  if (op.name !== null && typeof op.name !== "string") {
    if (site.computed.name) site.entry.operation!.nameFrom = "input";
    else fail(op.name.node, messages.D2S2008.invokeName());
  }
  site.out.locate(name, op.call, environment ? { ...site.entry, environment } : site.entry, block);
}
