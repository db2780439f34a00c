import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { shortFunctionName } from "../../runtime/emulator/integrations.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";
import { FRAGMENTS_FUNCTION } from "../../protocol/index.ts";

/**
 * A handler that puts one user string into each place where the compiler copies user text into
 * the ASL or the source map, and what it must return: test/compiler/injection.test.ts runs it.
 */
export interface Places {
  stepName: string;
  waitName: string;
  callbackName: string;
  invokeName: string;
  /** Compared with `event.s` in an `if`. */
  compared: string;
  /** Assigned to a local that crosses a wait. */
  assigned: string;
  objectKey: string;
  templatePart: string;
}

export const PLACES: (keyof Places)[] = ["stepName", "waitName", "callbackName", "invokeName", "compared", "assigned", "objectKey", "templatePart"];

/** A TypeScript string literal for any string (lone surrogates included: JSON escapes them). */
const literal = (s: string) => JSON.stringify(s);

/** The body of a template literal whose cooked value is `s`. */
function templateText(s: string): string {
  let out = "";
  for (const ch of s.split("")) {
    const code = ch.charCodeAt(0);
    if (ch === "\\" || ch === "`" || ch === "$") out += `\\${ch}`;
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

export function handlerSource(p: Places): string {
  return `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

type Event = { s: string; n: number };

export const handler = withDurableExecution(async (event: Event, context: DurableContext) => {
  let kept = "";
  let joined = "";
  let branch = "else";
  let keyed: Record<string, number> = {};
  const stepped = await context.step(${literal(p.stepName)}, async () => event.n + 1);
  await context.wait(${literal(p.waitName)}, { seconds: 1 });
  const answer = await context.waitForCallback(${literal(p.callbackName)}, async () => {}, { timeout: { seconds: 60 } });
  const invoked: unknown = await context.invoke(${literal(p.invokeName)}, { n: event.n });
  // A Choice state: the condition is JSONata.
  if (event.s === ${literal(p.compared)}) {
    await context.wait("then", { seconds: 1 });
    branch = "then";
  }
  if (event.n > 0) {
    await context.wait("before", { seconds: 1 });
    // A Pass state's Assign: the values are JSONata, and cross the wait below as ASL Variables.
    kept = ${literal(p.assigned)};
    keyed = { ${literal(p.objectKey)}: event.n };
    joined = \`${templateText(p.templatePart)}\${event.s}\`;
  }
  await context.wait("after", { seconds: 1 });
  return { stepped, kept, answer, invoked, keyed, joined, branch };
});
`;
}

export const ANSWER = 'the "answer" {% $x %}';

/** Writes the handler and its invoked function into `dir`; the scenario and the expected result. */
export function writeCase(dir: string, p: Places, s: string): { file: string; scenario: Scenario; expected: unknown; names: string[] } {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "handler.ts");
  writeFileSync(file, handlerSource(p));
  writeFileSync(path.join(dir, "invoked.mjs"), "export const invoked = async (input) => ({ got: input.n });\n");
  // The emulator hands its lambda the name after `:function:` and before the next `:`, as Lambda reads ARNs.
  const scenario: Scenario = {
    event: { s, n: 41 },
    callbacks: { [p.callbackName]: [{ success: ANSWER }] },
    functions: { [shortFunctionName(p.invokeName)]: "./invoked.mjs#invoked" },
  };
  const expected = {
    stepped: 42,
    kept: p.assigned,
    answer: ANSWER,
    invoked: { got: 41 },
    keyed: { [p.objectKey]: 41 },
    joined: p.templatePart + s,
    branch: s === p.compared ? "then" : "else",
  };
  return { file, scenario, expected, names: [p.stepName, p.waitName, p.callbackName] };
}

/** Strings that have broken, or could break, a compiler that pastes user text into ASL. */
export const NASTY = ["{% $x %}", "{% $states.input %}", "%}", "{%", '"', "\\", "`", FRAGMENTS_FUNCTION, "${AWS::AccountId}", "a\nb", "$states", "\ud800", "\udc00x", "\u2028", "", " ", "é🎉👩‍👩‍👧", "true", "and"];
