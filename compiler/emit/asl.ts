import { definitionProblems } from "../../runtime/emulator/index.ts";
import type { StateGraph } from "../transform/states.ts";

export type AslDefinition = {
  Comment: string;
  QueryLanguage: "JSONata";
  StartAt: string;
  States: Record<string, unknown>;
};

/** The whole ASL definition of one handler. */
export function toDefinition(handlerName: string, file: string, graph: StateGraph): AslDefinition {
  return {
    Comment: `${handlerName} from ${file}, compiled by durable2sfn`,
    QueryLanguage: "JSONata",
    StartAt: graph.startAt,
    States: graph.states,
  };
}

/** asl-validator plus the emulator's own checks (asl.md B.3): every emitted definition must pass. */
export function validateDefinition(definition: AslDefinition): string[] {
  return definitionProblems(definition).map((p) => `${p.path}: ${p.message}`);
}

/** Stable text: two spaces, a final newline; the same input always gives the same bytes. */
export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
