import type { Node } from "ts-morph";
import { DefinitionLimits } from "../../asl/index.ts";
import { diagnosticAt, messages, type Diagnostic } from "../diagnostics.ts";
import { serialize, type AslDefinition } from "./asl.ts";

/** Step Functions refuses a definition over 1 MiB (a hard quota): CreateStateMachine would fail. */
export const DEFINITION_QUOTA_BYTES = DefinitionLimits.definitionBytes;

/** D2S2016 when the definition, as written to state-machine.asl.json (and deployed), is over the quota. */
export function definitionSizeDiagnostic(definition: AslDefinition, handler: Node, quota = DEFINITION_QUOTA_BYTES): Diagnostic | undefined {
  const bytes = Buffer.byteLength(serialize(definition), "utf8");
  if (bytes <= quota) return undefined;
  const states = countStates(definition.States);
  return diagnosticAt(handler, messages.D2S2016.overQuota({ bytes, states, quota }));
}

function countStates(states: Record<string, unknown>): number {
  let n = 0;
  for (const state of Object.values(states)) {
    n++;
    const s = state as { ItemProcessor?: { States: Record<string, unknown> }; Branches?: { States: Record<string, unknown> }[] };
    if (s.ItemProcessor) n += countStates(s.ItemProcessor.States);
    for (const b of s.Branches ?? []) n += countStates(b.States);
  }
  return n;
}
