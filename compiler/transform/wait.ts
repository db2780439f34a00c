import { UNDEFINED_MARKER_KEY } from "../../protocol/index.ts";
import { fail, messages } from "../diagnostics.ts";
import type { WaitState } from "./asl-types.ts";
import { expression } from "./jsonata.ts";
import type { OperationSite, OpOf } from "./operation-site.ts";
import { literalDurationSeconds } from "./retry.ts";

/**
 * The seconds a Wait state waits for a duration of `seconds` (JSONata), as the SDK's runner waits:
 * it adds the seconds to a Date with `setSeconds`, which truncates a fraction, and an end in the
 * past is due at once. A Wait state's Seconds must be a whole number of at least 0.
 */
export function waitSecondsJsonata(seconds: string): string {
  return `$max([0, $floor(${seconds})])`;
}

function waitSecondsLiteral(seconds: number): number {
  return Math.max(0, Math.trunc(seconds));
}

/** `wait`: a Wait state of a literal duration, or of the seconds the code before it computed. */
export function emitWait(site: OperationSite<OpOf<"wait">>): void {
  const { op, name } = site;
  const literal = literalDurationSeconds(op.duration.node);
  let seconds: WaitState["Seconds"];
  if (literal !== undefined) seconds = waitSecondsLiteral(literal);
  else if (site.computed.seconds) seconds = expression(waitSecondsJsonata("$states.input.seconds"));
  else {
    const exact = site.tools.seconds(op);
    if (exact === undefined) fail(op.duration.node, messages.D2S2008.waitDurationNotComputable());
    seconds = expression(waitSecondsJsonata(exact));
  }
  const state: WaitState = { Type: "Wait", Comment: site.tools.comment(op.call), Seconds: seconds, Next: site.next };
  // `const x = await context.wait(...)` (or a branch returning it): the wait resolves to undefined.
  if (site.target) state.Assign = { [site.target.id]: { [UNDEFINED_MARKER_KEY]: true } };
  site.out.put(name, state);
  if (site.computed.name) site.entry.operation!.nameFrom = "input";
  site.out.locate(name, op.call, site.entry, site.block);
}
