import { Node } from "ts-morph";
import type { Block, DurableOp } from "../lower/cfg.ts";
import type { Local } from "../analyze/locals.ts";
import { fail } from "../diagnostics.ts";
import { expression, literalValue } from "./jsonata.ts";
import { LAMBDA_INVOKE, SERVICE_RETRIER } from "./lambda.ts";
import type { AslState, SourceMapEntry, StateBuilder } from "./states.ts";

/** `invoke`: a Task calling the other function; its failure reaches catch code as InvokeError. */
export function emitInvoke(
  b: StateBuilder,
  name: string,
  block: Block,
  op: Extract<DurableOp, { kind: "invoke" }>,
  target: Local | undefined,
  next: string,
  entry: Partial<SourceMapEntry>,
  computed: { name?: boolean },
): void {
  const fnNode = op.functionId.node;
  const functionName = Node.isStringLiteral(fnNode) || Node.isNoSubstitutionTemplateLiteral(fnNode) ? fnNode.getLiteralValue() : undefined;
  if (functionName === undefined) fail(fnNode, "D2S2008", "the invoked function must be named by a string literal", "write the function name or ARN as a literal, so the template can grant exactly that function");
  const payload = !op.input ? {} : b.invokeInputNeedsCode(op, block) ? expression("$states.input.payload") : expression(b.valueJsonata(op.input)!);
  const state: AslState = {
    Type: "Task",
    Comment: b.comment(op.call),
    Resource: LAMBDA_INVOKE,
    // The name is the user's text: never an expression, never a deploy-time placeholder.
    Arguments: { FunctionName: literalValue(functionName), Payload: payload },
    Output: expression("$states.result.Payload"),
    Retry: [SERVICE_RETRIER],
    Catch: [b.catcher("invoke", b.errorGoesTo(block).record, b.errorGoesTo(block).next)],
    Next: next,
  };
  if (target) state.Assign = { [target.id]: expression("$states.result.Payload") };
  b.states.set(name, state);
  if (op.name !== null && typeof op.name !== "string") {
    if (computed.name) entry.operation!.nameFrom = "input";
    else fail(op.name.node, "D2S2008", "an invoke name must be a string literal", "write the name as a literal");
  }
  b.locate(name, op.call, entry, block);
}
