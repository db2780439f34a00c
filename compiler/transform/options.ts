import { Node, SyntaxKind, type Expression, type ObjectLiteralExpression, type PropertyAssignment } from "ts-morph";
import { fail, messages } from "../diagnostics.ts";
import { optionsObject, resolveOptions } from "../parse/const-options.ts";
import { constDeclarationOf, withoutTypeWrappers } from "../parse/const-declarations.ts";
import type { Retrier, TaskState } from "./asl-types.ts";
import { SERVICE_RETRIER } from "./lambda.ts";
import { expression } from "./jsonata.ts";
import { literalDuration, literalDurationSeconds } from "./retry.ts";

/**
 * Option checks of step and callback operations: only options whose meaning ASL can carry pass.
 * They run while the states are built (not in analyze/), because their diagnostics interleave
 * with the transform's own: a handler reports the first error met in block order, and moving
 * these earlier would change which one that is. retry.ts checks `retryStrategy` the same way.
 */

/**
 * Only the options the compiled machine honours: retries, semantics, and (where `serdes` is
 * true: transform/serdes.ts runs it) a custom serdes. Anything else is refused.
 */
export function checkStepOptions(config: Expression | undefined, serdes = false): void {
  if (!config) return;
  for (const prop of optionsObject(config, "step options", messages.D2S2008.stepOptionsNotObject()).getProperties()) {
    const name = Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) ? prop.getName() : "";
    if (name === "serdes" && !serdes) fail(prop, messages.D2S2008.serdesHere({ where: "on the step that hands a callback id on" }));
    if (!["retryStrategy", "semantics", "serdes"].includes(name)) {
      fail(prop, messages.D2S2008.unknownStepOption({ name: name || prop.getText() }));
    }
  }
}

/** At-most-once steps must not be re-run after a service error: the SDK would not run them again either. */
export function serviceRetry(config: Expression | undefined): Retrier[] {
  const resolved = config && resolveOptions(config);
  const atMostOnce = (resolved && "object" in resolved ? resolved.object : config)?.getText().includes("AtMostOncePerRetry");
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

/**
 * The object literals a callback's options can be at run time: the one written (or held by a
 * const), or each side of `cond ? { ... } : { ... }`, where `undefined` or `null` is no options
 * (the SDK reads `config?.timeout`). Undefined when some side is none of these.
 */
function optionAlternatives(config: Expression): ObjectLiteralExpression[] | undefined {
  const e = withoutTypeWrappers(config);
  if (Node.isConditionalExpression(e)) {
    const sides = [e.getWhenTrue(), e.getWhenFalse()].map(optionAlternatives);
    return sides.every((side) => side !== undefined) ? sides.flat() : undefined;
  }
  if ((Node.isIdentifier(e) && e.getText() === "undefined" && !constDeclarationOf(e)) || e.getKind() === SyntaxKind.NullKeyword) return [];
  const resolved = resolveOptions(e);
  return resolved && "object" in resolved ? [resolved.object] : undefined;
}

type TimeoutKey = "timeout" | "heartbeatTimeout";

/** The values of `timeout` / `heartbeatTimeout` written in each alternative of the options (also as `{ timeout }`). */
function timeoutOptions(config: Expression | undefined): Record<TimeoutKey, Expression[]> & { alternatives: number } {
  const found: Record<TimeoutKey, Expression[]> & { alternatives: number } = { timeout: [], heartbeatTimeout: [], alternatives: 0 };
  const alternatives = config ? optionAlternatives(config) : undefined;
  for (const object of alternatives ?? []) {
    found.alternatives++;
    for (const prop of object.getProperties()) {
      const value = Node.isPropertyAssignment(prop) ? prop.getInitializer() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
      const name = (prop as PropertyAssignment).getName?.();
      if (value && (name === "timeout" || name === "heartbeatTimeout")) found[name].push(value);
    }
  }
  return found;
}

/**
 * Does a callback's timeout or heartbeat depend on the run (`event.fast ? { seconds: 1 } : ...`,
 * or options chosen by a condition)? Then code computes both.
 */
export function timeoutsAtRunTime(config: Expression | undefined): boolean {
  const found = timeoutOptions(config);
  if (found.alternatives > 1) return found.timeout.length + found.heartbeatTimeout.length > 0;
  return [...found.timeout, ...found.heartbeatTimeout].some((value) => literalDurationSeconds(value) === undefined);
}

/**
 * The code (a fragment's tail) that works out both seconds from the options object `configText`
 * evaluated at run time, as the SDK reads them (no options, or an absent or undefined option, is
 * none). A Task takes only whole seconds from 1 to 99999999: other values fail here, in the
 * fragment, with one clear error, where the SDK would go on (README). A heartbeat not shorter than
 * the timeout never fires first (the SDK's timeout timer wins a tie): it is left out, as the Task
 * takes only a shorter one (callback-heartbeat.ts picks the Task without it).
 */
export function timeoutsCode(configText: string): string {
  const whole = `(d, key) => { if (!d) return undefined; const s = $d.seconds(d); if (!Number.isInteger(s) || s < 1 || s > ${MAX_SECONDS}) throw new RangeError(\`the callback's \${key} must be a whole number of seconds from 1 to ${MAX_SECONDS} to run on Step Functions, not \${s}\`); return s; }`;
  return `((c, whole) => { const t = whole(c?.timeout, "timeout"); const h = whole(c?.heartbeatTimeout, "heartbeatTimeout"); return { timeout: t ?? ${MAX_SECONDS}, heartbeat: h !== undefined && h < (t ?? ${MAX_SECONDS}) ? h : undefined }; })(${configText}, ${whole})`;
}

/** The longest TimeoutSeconds ASL takes: more than an execution can last (a year), so never reached, as with no timeout. */
const MAX_SECONDS = 99_999_999;

/**
 * A callback's `timeout` and `heartbeatTimeout` become the Task's TimeoutSeconds and HeartbeatSeconds:
 * literals when fixed at build time, else what the code before worked out (`computed`, timeoutsCode).
 * Returns whether the heartbeat is computed: it may then be absent at run time (callback-heartbeat.ts).
 */
export function applyCallbackTimeouts(state: TaskState, config: Expression | undefined, computed = false): boolean {
  if (!config) return false;
  const notObject = messages.D2S2008.callbackOptionsNotObject();
  const alternatives = optionAlternatives(config) ?? [optionsObject(config, "callback options", notObject)];
  const heartbeat = computed && timeoutOptions(config).heartbeatTimeout.length > 0;
  if (computed) {
    state.TimeoutSeconds = expression("$states.input.timeouts.timeout");
    if (heartbeat) state.HeartbeatSeconds = expression("$states.input.timeouts.heartbeat");
  }
  for (const prop of alternatives.flatMap((object) => object.getProperties())) {
    // `{ timeout }` reads the const named `timeout` (known-values.ts), as `timeout: timeout` would.
    const value = Node.isPropertyAssignment(prop) ? prop.getInitializerOrThrow() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
    if (!value) fail(prop, messages.D2S2008.callbackOptionsNotProperties());
    switch ((prop as PropertyAssignment).getName()) {
      case "timeout":
        if (!computed) state.TimeoutSeconds = wholeTimeout(value);
        break;
      case "heartbeatTimeout":
        if (!computed) state.HeartbeatSeconds = wholeTimeout(value);
        break;
      case "retryStrategy":
      case "serdes": // transform/serdes.ts
        break;
      default:
        fail(prop, messages.D2S2008.unknownCallbackOption({ name: (prop as PropertyAssignment).getName() }));
    }
  }
  return heartbeat;
}
