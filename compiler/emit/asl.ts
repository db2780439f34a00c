import { definitionProblems } from "../../asl/index.ts";
import { commentText } from "../transform/names.ts";
import type { StateGraph } from "../transform/operation-site.ts";

export type AslDefinition = {
  Comment: string;
  QueryLanguage: "JSONata";
  StartAt: string;
  States: Record<string, unknown>;
};

/** The whole ASL definition of one handler. */
export function toDefinition(handlerName: string, file: string, graph: StateGraph): AslDefinition {
  return {
    Comment: commentText(`${handlerName} from ${file}, compiled by durable2sfn`),
    QueryLanguage: "JSONata",
    StartAt: graph.startAt,
    States: orderStates(graph.states),
  };
}

/** Fields in the order a person reads a state: what it is, what it does, where it goes. */
const FIELD_ORDER = [
  "Type", "Comment", "Resource", "Arguments", "Items", "ItemSelector", "ItemProcessor", "Branches", "MaxConcurrency",
  "ToleratedFailureCount", "ToleratedFailurePercentage", "Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds",
  "Choices", "Default", "Output", "Assign", "Retry", "Catch", "Error", "Cause", "Next", "End",
];

function orderStates(states: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, state] of Object.entries(states)) {
    const fields = state as Record<string, unknown>;
    const keys = Object.keys(fields).sort((a, b) => rank(a) - rank(b));
    out[name] = Object.fromEntries(keys.map((k) => [k, fields[k]]));
  }
  return out;
}

function rank(field: string): number {
  const i = FIELD_ORDER.indexOf(field);
  return i === -1 ? FIELD_ORDER.length : i;
}

/** asl-validator plus the emulator's own checks (asl.md B.3): every emitted definition must pass. */
export function validateDefinition(definition: AslDefinition): string[] {
  return definitionProblems(definition).map((p) => `${p.path}: ${p.message}`);
}

/** Stable text: two spaces, a final newline; the same input always gives the same bytes. */
export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
