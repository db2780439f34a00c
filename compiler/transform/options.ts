import { Node, type Expression, type PropertyAssignment } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import type { Retrier, TaskState } from "./asl-types.ts";
import { SERVICE_RETRIER } from "./lambda.ts";
import { literalDuration } from "./retry.ts";

/**
 * Option checks of step and callback operations: only options whose meaning ASL can carry pass.
 * They run while the states are built (not in analyze/), because their diagnostics interleave
 * with the transform's own: a handler reports the first error met in block order, and moving
 * these earlier would change which one that is. retry.ts checks `retryStrategy` the same way.
 */

/** Only the options whose meaning ASL can carry; custom serdes and the like are refused. */
export function checkStepOptions(config: Expression | undefined): void {
  if (!config) return;
  if (!Node.isObjectLiteralExpression(config)) fail(config, messages.D2S2008.stepOptionsNotObject());
  for (const prop of config.getProperties()) {
    const name = Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) ? prop.getName() : "";
    if (!["retryStrategy", "semantics"].includes(name)) {
      fail(prop, messages.D2S2008.unknownStepOption({ name: name || prop.getText() }));
    }
  }
}

/** At-most-once steps must not be re-run after a service error: the SDK would not run them again either. */
export function serviceRetry(config: Expression | undefined): Retrier[] {
  const atMostOnce = config?.getText().includes("AtMostOncePerRetry");
  return atMostOnce ? [] : [SERVICE_RETRIER];
}

/**
 * The SDK times a callback out after exactly the seconds given (its runner uses setTimeout); a
 * Task's TimeoutSeconds and HeartbeatSeconds are whole seconds of at least 1, so anything else is refused.
 */
function wholeTimeout(value: Expression): number {
  const seconds = literalDuration(value);
  if (!Number.isInteger(seconds) || seconds < 1) fail(value, messages.D2S2008.timeoutNotWhole({ seconds }));
  return seconds;
}

/** A callback's `timeout` and `heartbeatTimeout` become the Task's TimeoutSeconds and HeartbeatSeconds. */
export function applyCallbackTimeouts(state: TaskState, config: Expression | undefined): void {
  if (!config) return;
  if (!Node.isObjectLiteralExpression(config)) fail(config, messages.D2S2008.callbackOptionsNotObject());
  for (const prop of config.getProperties()) {
    // `{ timeout }` reads the const named `timeout` (known-values.ts), as `timeout: timeout` would.
    const value = Node.isPropertyAssignment(prop) ? prop.getInitializerOrThrow() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
    if (!value) fail(prop, messages.D2S2008.callbackOptionsNotProperties());
    switch ((prop as PropertyAssignment).getName()) {
      case "timeout":
        state.TimeoutSeconds = wholeTimeout(value);
        break;
      case "heartbeatTimeout":
        state.HeartbeatSeconds = wholeTimeout(value);
        break;
      case "retryStrategy":
        break;
      default:
        fail(prop, messages.D2S2008.unknownCallbackOption({ name: (prop as PropertyAssignment).getName() }));
    }
  }
}
