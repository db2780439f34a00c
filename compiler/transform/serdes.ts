import { Node, type Expression } from "ts-morph";
import { EventField, SERDES_FAILED_ERROR, SERDES_MARKER_KEY } from "../../protocol/index.ts";
import { constDeclarationOf } from "../parse/const-declarations.ts";
import { resolveOptions } from "../parse/const-options.ts";
import { fail, messages } from "../diagnostics.ts";
import type { Catcher, FailState } from "./asl-types.ts";
import { CALLBACK_ANSWER } from "./error-records.ts";
import { SERVICE_RETRIER } from "./lambda.ts";
import { expression, jsonataString } from "./jsonata-text.ts";
import type { OperationSite } from "./operation-site.ts";

/**
 * A custom `serdes` of a step or callback (runtime/fragments/serdes.ts runs it). The fragments
 * must make the serdes again in any fragment that reads the result, so its expression is written
 * into the fragments module's registry, where only module-level names exist: an expression that
 * reads a local or parameter of the handler (or of any function around it) is refused. A handler
 * `const` holding the serdes is read as the expression it holds, made again where needed, as the
 * SDK's handler makes it again on every replay.
 */
export interface SerdesOption {
  /** Its key in the registry: where the expression is written. */
  key: string;
  /** The expression, naming module-level values only. */
  text: string;
}

/** The `serdes` option's value written in an options object (inline or held in a const), if any. */
export function serdesValue(config: Expression | undefined): Expression | undefined {
  const resolved = config && resolveOptions(config);
  if (!resolved || !("object" in resolved)) return undefined;
  const prop = resolved.object.getProperty("serdes");
  if (Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return undefined;
}

/** Is `decl` outside every function (module level), or inside `within` itself? */
function moduleLevel(decl: Node, within: Node): boolean {
  const fn = decl.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
  return !fn || (fn.getPos() >= within.getPos() && fn.getEnd() <= within.getEnd());
}

/** The first identifier of `value` that names something declared inside a function around it (a handler local), if any. */
function localRead(value: Node): Node | undefined {
  for (const id of [value, ...value.getDescendants()].filter(Node.isIdentifier)) {
    const parent = id.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if ((Node.isPropertyAssignment(parent) || Node.isMethodDeclaration(parent) || Node.isPropertySignature(parent)) && parent.getNameNode() === id) continue;
    const symbol = Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : id.getSymbol();
    const declarations = symbol?.getDeclarations() ?? [];
    if (declarations.some((d) => !moduleLevel(d, value))) return id;
  }
  return undefined;
}

/** The option's expression as the registry writes it: a handler const is followed to what it holds. */
function registryText(value: Expression): string {
  let e: Expression = value;
  for (let seen = 0; Node.isIdentifier(e) && seen < 8; seen++) {
    const decl = constDeclarationOf(e);
    const init = decl?.getInitializer();
    if (!decl || !init || moduleLevel(decl, e)) break;
    e = init;
  }
  const read = localRead(e);
  if (read) fail(value, messages.D2S2008.serdesReadsLocal({ name: read.getText() }));
  return e.getText();
}

/** The `serdes` of these options, registered for the fragments (`tools.serdes`), or undefined when none is given. */
export function serdesOf(site: OperationSite, config: Expression | undefined): SerdesOption | undefined {
  const value = serdesValue(config);
  if (!value) return undefined;
  const text = registryText(value);
  const key = `L${value.getStartLineNumber()}C${value.getStart() - value.getStartLinePos() + 1}`;
  site.tools.serdes(key, text);
  return { key, text };
}

/**
 * The catcher that sends SerdesFailedError past every catch block, to `failState` (serdesFailState):
 * under the SDK a failed serdes ends the invocation, and no code of the handler sees it.
 */
export function serdesCatcher(failState: string): Catcher {
  return { ErrorEquals: [SERDES_FAILED_ERROR], Next: failState };
}

/** The Fail state SerdesFailedError ends at (in a map item, its Fail fails the Map state, whose error then ends the execution). */
export function serdesFailState(site: OperationSite, base: string): string {
  const name = site.namer.name(`${base}-serdes-failed`);
  const state: FailState = {
    Type: "Fail",
    Comment: "a custom serdes failed: the SDK ends the invocation, no catch block sees it",
    Error: expression("$states.input.Error"),
    Cause: expression("$states.input.Cause"),
  };
  site.out.put(name, state);
  return name;
}

/**
 * A callback's answer kept as the SDK hands it to a custom serdes (the raw string, nothing for an
 * empty answer: `answer` is the machine's JSONata of it), inside the marker that the fragments deserialise.
 */
export function callbackAnswerMarker(serdes: SerdesOption, answer: string, name: string | null): string {
  const fields = [`"key": ${jsonataString(serdes.key)}`, `"entityId": $uuid()`, `"durableExecutionArn": $states.context.Execution.Id`, ...(name !== null ? [`"name": ${jsonataString(name)}`] : [])];
  return `( $a := ${answer}; {"${SERDES_MARKER_KEY}": $type($a) = "string" ? {${fields.join(", ")}, "data": $a} : {${fields.join(", ")}}} )`;
}

/**
 * After a callback with a custom serdes: the SDK deserialises the answer at the await (a failure
 * ends the invocation), so a Task runs deserialize there once (the fragments' revive of its
 * `answer`) and hands the marker back unchanged, for `target`. It has no Catch: SerdesFailedError
 * ends the execution from anywhere (a Map or Parallel state has no Catch either).
 */
export function emitAnswerCheck(site: OperationSite, serdes: SerdesOption, name: string | null, next: string, at: Node): string {
  const check = site.namer.name(`${site.name}-deserialize`);
  const fragment = site.tools.fragment(check, [], [], [], `marker: $d.event.${EventField.vars}.answer`);
  const state = site.tools.task(fragment, [], next, at, "callback");
  const marker = callbackAnswerMarker(serdes, CALLBACK_ANSWER.replaceAll("$states.result", "$states.input"), name);
  state.Comment = `${state.Comment} deserialise the answer with the custom serdes, as the SDK does at the await`;
  state.Arguments.Payload[EventField.vars] = { answer: expression(marker) };
  delete state.Catch;
  state.Retry = [SERVICE_RETRIER];
  state.Output = expression("$states.input");
  if (site.target) state.Assign = { [site.target.id]: expression("$states.result.Payload.marker") };
  else delete state.Assign;
  site.out.put(check, state);
  site.out.locate(check, at, { fragment: fragment.id });
  return check;
}
