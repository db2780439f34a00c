import {
  createRetryStrategy,
  JitterStrategy,
  retryPresets,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";
import { calculate, callModel, fetchPage, translate, webSearch, type AgentEvent, type Turn } from "./tools.ts";

export interface AgentResult {
  conversationId: string;
  status: "answered" | "gave-up";
  answer: string;
  iterations: number;
  toolCalls: number;
  failedToolCalls: number;
}

/**
 * A tool-using agent loop. Each iteration asks the model for the next action (a durable step, so a
 * replay never calls the model twice), runs the chosen tool as its own step, and feeds the
 * observation back. The loop ends when the model answers or the iteration budget runs out.
 */
export const handler = withDurableExecution(async (event: AgentEvent, context: DurableContext): Promise<AgentResult> => {
  const maxIterations = event.maxIterations ?? 6;
  const turns: Turn[] = [];
  let answer: string | null = null;
  let iteration = 0;

  while (iteration < maxIterations) {
    iteration++;
    const decision = await context.step("call-model", async () => callModel(event.question, turns, iteration), {
      retryStrategy: createRetryStrategy({ maxAttempts: 4, initialDelay: { seconds: 2 }, backoffRate: 2, jitter: JitterStrategy.FULL }),
    });
    if (decision.kind === "answer") {
      answer = decision.answer;
      break;
    }

    let observation: string;
    let ok = true;
    switch (decision.tool) {
      case "search":
        observation = await context.step("tool-search", async () => webSearch(decision.input));
        break;
      case "calculator":
        observation = await context.step("tool-calculator", async () => calculate(decision.input), { retryStrategy: retryPresets.noRetry });
        break;
      case "fetch-page":
        // The web is flaky: retry briefly, then report the failure to the model instead of failing the run.
        try {
          observation = await context.step("tool-fetch-page", async (stepCtx) => fetchPage(decision.input, stepCtx.attempt, event), {
            retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 2, jitter: JitterStrategy.NONE }),
          });
        } catch (error) {
          observation = `error: ${(error as Error).message}`;
          ok = false;
        }
        break;
      case "translate": {
        const source = turns.length > 0 ? turns[turns.length - 1].observation : event.question;
        observation = await context.step("tool-translate", async () => translate(source, decision.input));
        break;
      }
      default:
        observation = `error: unknown tool`;
        ok = false;
    }
    turns.push({ iteration, tool: decision.tool, input: decision.input, observation, ok });
  }

  if (answer === null) {
    const summary = await context.step("summarize-partial", async () =>
      turns.filter((t) => t.ok).map((t) => t.observation).join("; ") || "no observations",
    );
    return {
      conversationId: event.conversationId,
      status: "gave-up",
      answer: summary,
      iterations: iteration,
      toolCalls: turns.length,
      failedToolCalls: turns.filter((t) => !t.ok).length,
    };
  }
  return {
    conversationId: event.conversationId,
    status: "answered",
    answer,
    iterations: iteration,
    toolCalls: turns.length,
    failedToolCalls: turns.filter((t) => !t.ok).length,
  };
});
