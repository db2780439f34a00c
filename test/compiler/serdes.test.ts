import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { closeOracle, runOnSdk } from "../../harness/index.ts";
import { runCompiled } from "../../harness/run.ts";
import type { Scenario } from "../../runtime/emulator/scenario.ts";

/**
 * Custom serdes (compiler/transform/serdes.ts, runtime/fragments/serdes.ts): the machine's state
 * holds what serialize wrote, never the value; a serdes that throws fails the run as under the SDK.
 * The equivalence fixtures serdes-*.ts compare results; these tests look at what they cannot.
 */
const dir = path.join(import.meta.dirname, "../fixtures/serdes");

afterAll(() => closeOracle());

async function compiled(file: string) {
  const { handlers, diagnostics } = await compileFile(path.join(dir, file));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return handlers[0]!;
}

// Each case compiles and runs a handler (and the SDK): minutes on a loaded machine, so a generous ceiling.
const LONG = 900_000;

describe("custom serdes", () => {
  it("keeps the plaintext out of the execution history", async () => {
    const card = "4111-2222-3333-4444";
    // The input holds only the last four digits; the step makes the card number, which serialize encrypts.
    const { result } = await runCompiled(await compiled("encrypting.ts"), { event: { last4: "4444" } });
    expect(result.status).toBe("SUCCEEDED");
    expect(typeof result.output === "string" ? JSON.parse(result.output) : result.output).toEqual({ amount: 43, digits: card.length });
    const events = result.history.map((e) => JSON.stringify(e));
    expect(events.some((e) => e.includes(card))).toBe(false);
    // What the serdes wrote is there instead (the step's Task result), as in the SDK's checkpoint.
    const written = `enc:${Buffer.from(JSON.stringify({ card, amount: 42 }).split("").reverse().join("")).toString("base64")}`;
    expect(events.some((e) => e.includes(written))).toBe(true);
  }, LONG);

  const failing: [string, Partial<Scenario>][] = [
    ["serialize", {}],
    ["deserialize", {}],
    ["callback", { callbacks: { answer: [{ success: JSON.stringify({ bad: "deserialize" }) }] } }],
  ];
  it.each(failing)("a serdes that throws in %s fails the execution with the SDK's SerdesFailedError, past the catch block", async (bad, extra) => {
    const scenario: Scenario = { event: { bad }, ...extra };
    const sdkError = await runOnSdk(path.join(dir, "failing.ts"), scenario).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(sdkError?.name).toBe("SerdesFailedError");
    const { result } = await runCompiled(await compiled("failing.ts"), scenario);
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("SerdesFailedError");
    const message = (JSON.parse(result.cause!) as { errorMessage: string }).errorMessage;
    // The entity id in parentheses is the operation's: the SDK counts operations, the machine draws a UUID for each run of one.
    const withoutId = (m: string) => m.replace(/\([^)]*\)/, "(<entity>)");
    expect(withoutId(message)).toBe(withoutId(sdkError!.message));
  }, LONG);
});
