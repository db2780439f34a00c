import { walkStates, type StateGraph } from "../../asl/index.ts";
import { FRAGMENTS_ARN_PLACEHOLDER } from "../../protocol/index.ts";
import type { CompiledHandler } from "../types.ts";
import type { AslDefinition } from "./asl.ts";

/** A function, other than the fragments function, that the state machine calls and so may invoke. */
export interface InvokedFunction {
  /** What goes into the role's `Resource` list. */
  arn: unknown;
  /** Set when the ASL names the function through a `${Placeholder}`: the template asks for it as a parameter. */
  parameter?: string;
  /** The environment variable the handler reads the function from (`process.env.PAYMENT_FN`), when it does. */
  variable?: string;
}

/**
 * A Lambda function ARN, as IAM needs it in a role's Resource (a version or alias may follow).
 * The variable of a durable function may hold a bare name; the grant cannot be made from one.
 */
export const FUNCTION_ARN_PATTERN = "^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$";

const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;
const PLACEHOLDER = /^\$\{([A-Za-z0-9]+)\}$/;

/**
 * The hook for `context.invoke`: every `lambda:invoke` Task whose FunctionName is not the
 * fragments placeholder adds that function to what the state machine's role may invoke. The
 * compiler does not emit such tasks yet; when it does (a literal ARN, a function name, or a
 * `${Placeholder}` filled at deploy time), the role follows without touching template.ts.
 * A FunctionName computed at run time (JSONata) cannot be scoped from the definition: the
 * template grants what the user lists in its InvokedFunctionArns parameter (chosenAtRunTime),
 * never `*`.
 */
export function invokedFunctions(definition: AslDefinition, handler?: Pick<CompiledHandler, "sourceMap">): InvokedFunction[] {
  const variables = handler ? environmentParameters(handler) : new Map<string, string>();
  const found = new Map<string, InvokedFunction>();
  for (const { state } of walkStates(definition as unknown as StateGraph)) {
    if (state.Type !== "Task" || typeof state.Resource !== "string" || !LAMBDA_INVOKE.test(state.Resource)) continue;
    const name = (state.Arguments as { FunctionName?: unknown } | undefined)?.FunctionName;
    if (typeof name !== "string" || name.startsWith("{%")) continue;
    const placeholder = PLACEHOLDER.exec(name)?.[1];
    if (placeholder === FRAGMENTS_ARN_PLACEHOLDER) continue;
    if (placeholder) found.set(name, { arn: { Ref: placeholder }, parameter: placeholder, variable: variables.get(placeholder) });
    // `${` inside a name would be read by Fn::Sub (or substituted): no exact grant is possible.
    else if (name.includes("${")) continue;
    else if (name.startsWith("arn:")) found.set(name, { arn: name });
    else found.set(name, { arn: { "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}` } });
  }
  return [...found.values()];
}

/** Parameter → environment variable, for the invokes whose function the environment names (source map). */
export function environmentParameters(handler: Pick<CompiledHandler, "sourceMap">): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of Object.values(handler.sourceMap.states)) {
    if (entry.environment) found.set(entry.environment.parameter, entry.environment.variable);
  }
  return found;
}

/** Does some `lambda:invoke` Task compute its FunctionName at run time (`context.invoke(event.fn, ...)`)? */
export function chosenAtRunTime(definition: AslDefinition): boolean {
  for (const { state } of walkStates(definition as unknown as StateGraph)) {
    if (state.Type !== "Task" || typeof state.Resource !== "string" || !LAMBDA_INVOKE.test(state.Resource)) continue;
    const name = (state.Arguments as { FunctionName?: unknown } | undefined)?.FunctionName;
    if (typeof name === "string" && name.startsWith("{%")) return true;
  }
  return false;
}
