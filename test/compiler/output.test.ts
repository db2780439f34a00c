import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile, HANDLER_FILE, writeHandlerOutputs } from "../../compiler/index.ts";
import { definitionProblems } from "../../runtime/emulator/index.ts";

const dir = path.join(import.meta.dirname, "../fixtures/compiler");
const fixtures = readdirSync(dir).filter((f) => HANDLER_FILE.test(f)).sort();

describe.each(fixtures)("output of %s", (fixture) => {
  const { handlers, diagnostics } = compileFile(path.join(dir, fixture));

  it("compiles without errors and passes asl-validator and our own checks", () => {
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // One handler per fixture, but for the decl-* fixtures that declare several (every one is checked).
    expect(handlers.length === 1 || fixture.startsWith("decl-") || fixture.startsWith("js-")).toBe(true);
    for (const handler of handlers) {
      expect(definitionProblems(handler.definition)).toEqual([]);
      expect(handler.definition.QueryLanguage).toBe("JSONata");
    }
  });

  it("names states readably: [0-9A-Za-z_-], at most 80 characters, with file:line comments", () => {
    for (const handler of handlers) {
      const states = handler.definition.States as Record<string, { Comment?: string; Type: string }>;
      for (const [name, state] of Object.entries(states)) {
        expect(name).toMatch(/^[0-9A-Za-z_-]{1,80}$/);
        if (state.Type !== "Fail" && state.Type !== "Succeed" && state.Type !== "Pass") {
          expect(state.Comment, name).toMatch(new RegExp(`^${fixture.replace(".", "\\.")}:\\d+( |$)`));
        }
      }
      // every state in the source map points at a line of the file
      for (const entry of Object.values(handler.sourceMap.states)) expect(entry.line).toBeGreaterThan(0);
    }
  });

  it("is byte-identical from build to build", async () => {
    const [a, b] = [mkdtempSync(path.join(os.tmpdir(), "d2s-a-")), mkdtempSync(path.join(os.tmpdir(), "d2s-b-"))];
    await writeHandlerOutputs(handlers[0], path.join(a, "h"));
    const again = compileFile(path.join(dir, fixture)).handlers[0];
    await writeHandlerOutputs(again, path.join(b, "h"));
    for (const file of ["state-machine.asl.json", "source-map.json", "fragments/index.mjs"]) {
      expect(readFileSync(path.join(a, "h", file), "utf8")).toBe(readFileSync(path.join(b, "h", file), "utf8"));
    }
  });
});

describe("state names come from the code", () => {
  it("uses operation names, and names other states for what they do", () => {
    const { handlers } = compileFile(path.join(dir, "errors.ts"));
    const names = Object.keys(handlers[0].definition.States);
    expect(names).toEqual(expect.arrayContaining(["reserve", "charge", "release", "settle", "notify"]));
    expect(names.filter((n) => /^(Code|Assign|If|Loop|Branch|Switch|Return|Rethrow|Start|Done|Uncaught-error)/.test(n)).length).toBeGreaterThan(0);
  });

  it("keeps simple assignments out of Lambda: a Pass state with Assign, which the optimizer folds into a Choice", () => {
    type State = { Type: string; Assign?: object; Choices?: { Assign?: object }[] };
    const statesOf = (optimize: boolean) => Object.values(compileFile(path.join(dir, "control-flow.ts"), { optimize }).handlers[0].definition.States) as State[];
    expect(statesOf(false).some((s) => s.Type === "Pass" && s.Assign)).toBe(true);
    const inChoice = (s: State) => s.Type === "Choice" && (s.Assign !== undefined || (s.Choices ?? []).some((c) => c.Assign));
    expect(statesOf(true).some((s) => (s.Type === "Pass" && s.Assign) || inChoice(s))).toBe(true);
  });
});
