import { Node } from "ts-morph";
import type { CreateCallbackOp } from "../lower/cfg.ts";

/** A callback awaited later whose options set a timeout: its Task is entered through a deadline Choice. */
export function hasDeadlines(op: CreateCallbackOp): boolean {
  const config = op.config?.node;
  return op.created !== undefined && op.stage === undefined && op.relayId === undefined && Node.isObjectLiteralExpression(config) && ["timeout", "heartbeatTimeout"].some((p) => config.getProperty(p) !== undefined);
}
