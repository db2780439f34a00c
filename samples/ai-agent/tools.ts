// A deterministic stand-in for a language model and its tools. The "model" picks the next tool
// from the question and the turns so far, so a scenario fully decides the run.

export type ToolName = "search" | "calculator" | "fetch-page" | "translate";

export interface AgentEvent {
  conversationId: string;
  question: string;
  maxIterations?: number;
  /** Leading attempts of every fetch-page call that fail with a network error. */
  flakyFetchAttempts?: number;
  /** URLs whose fetch fails on every attempt. */
  brokenUrls?: string[];
}

export interface Turn {
  iteration: number;
  tool: ToolName;
  input: string;
  observation: string;
  ok: boolean;
}

export type ModelDecision =
  | { kind: "tool"; tool: ToolName; input: string; thought: string }
  | { kind: "answer"; answer: string; thought: string };

/** The tools the question calls for, in the order the model uses them. */
function plan(question: string): { tool: ToolName; input: string }[] {
  const steps: { tool: ToolName; input: string }[] = [];
  const q = question.toLowerCase();
  const url = question.match(/https?:\/\/\S+/)?.[0];
  if (url) steps.push({ tool: "fetch-page", input: url.replace(/[?.!,]$/, "") });
  if (q.includes("who") || q.includes("what") || q.includes("when")) steps.push({ tool: "search", input: question.replace(/https?:\/\/\S+/, "").trim() });
  const arithmetic = question.match(/(\d+(?:\.\d+)?)\s*([+\-*/x])\s*(\d+(?:\.\d+)?)/);
  if (arithmetic) steps.push({ tool: "calculator", input: arithmetic[0] });
  const language = question.match(/in (french|german|spanish)/i)?.[1];
  if (language) steps.push({ tool: "translate", input: language.toLowerCase() });
  return steps;
}

export async function callModel(question: string, turns: Turn[], iteration: number): Promise<ModelDecision> {
  // A tool call is done when it succeeded, or when it failed twice (the model gives up on it).
  const settled = (tool: ToolName, input: string): boolean => {
    const calls = turns.filter((t) => t.tool === tool && t.input === input);
    return calls.some((t) => t.ok) || calls.length >= 2;
  };
  const pending = plan(question).filter((s) => !settled(s.tool, s.input));
  if (pending.length === 0) {
    const facts = turns.filter((t) => t.ok).map((t) => t.observation);
    const answer = facts.length > 0 ? facts.join("; ") : "I could not find anything useful.";
    return { kind: "answer", answer, thought: `iteration ${iteration}: answering from ${facts.length} observations` };
  }
  const next = pending[0];
  return { kind: "tool", tool: next.tool, input: next.input, thought: `iteration ${iteration}: use ${next.tool}` };
}

export async function webSearch(query: string): Promise<string> {
  const words = query.split(/\s+/).filter((w) => w.length > 3).slice(0, 3);
  return `top result for "${words.join(" ")}": encyclopedia entry (${query.length} chars)`;
}

export async function calculate(expression: string): Promise<string> {
  const m = expression.match(/(\d+(?:\.\d+)?)\s*([+\-*/x])\s*(\d+(?:\.\d+)?)/);
  if (!m) throw new Error(`cannot parse ${expression}`);
  const [a, b] = [Number(m[1]), Number(m[3])];
  const value = m[2] === "+" ? a + b : m[2] === "-" ? a - b : m[2] === "/" ? a / b : a * b;
  return `${expression} = ${value}`;
}

export async function fetchPage(url: string, attempt: number, event: AgentEvent): Promise<string> {
  if (event.brokenUrls?.includes(url)) throw new Error(`HTTP 503 from ${url}`);
  if (attempt <= (event.flakyFetchAttempts ?? 0)) throw new Error(`ECONNRESET while fetching ${url} (attempt ${attempt})`);
  return `page ${url} says: "${url.split("/").pop() ?? url}" is documented here`;
}

export async function translate(text: string, language: string): Promise<string> {
  return `[${language}] ${text.slice(0, 40)}`;
}
