import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { copyForAslValidator } from "../../asl/asl-validator-check.ts";
import { runAslValidator } from "../../asl/asl-validator-run.ts";
import { BROKEN_DEFINITIONS } from "./broken-definitions.ts";
import { REPOSITORY_ASL } from "./repository-asl.ts";

/**
 * Our run of asl-validator's checks (schema compiled once, asl/asl-validator-run.ts) against
 * asl-validator's own validator(), which compiles the schemas at every call: the same result for
 * every ASL file of the repository (the goldens), as asl-validator-check.ts adapts them, and for
 * each kind of definition it refuses (or throws on).
 */
const aslValidator = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => { isValid: boolean; errors: unknown[] };

/** What a validator gives for its own deep copy of `definition`: its result, or the error it throws. */
function outcome(validator: (definition: Record<string, unknown>) => { isValid: boolean; errors: unknown[] }, definition: Record<string, unknown>) {
  try {
    const { isValid, errors } = validator(structuredClone(definition));
    return { isValid, errors };
  } catch (e) {
    return { threw: String(e) };
  }
}

function bothResults(definition: Record<string, unknown>) {
  return { ours: outcome((d) => runAslValidator(d), definition), theirs: outcome(aslValidator, definition) };
}

describe("asl-validator's checks with the schema compiled once", () => {
  it("finds the repository's ASL files", () => {
    expect(REPOSITORY_ASL.length).toBeGreaterThan(50);
  });

  it("gives asl-validator's result for every ASL file of the repository", () => {
    let valid = 0;
    for (const [file, raw] of REPOSITORY_ASL) {
      const { ours, theirs } = bothResults(copyForAslValidator(raw).copy);
      expect(ours, file).toEqual(theirs);
      if ("isValid" in ours && ours.isValid) valid++;
    }
    // The fixtures of invalid machines (test/fixtures/asl) are refused alike, the goldens pass.
    expect(valid).toBeGreaterThan(REPOSITORY_ASL.length / 2);
  }, 180_000);

  it.each(BROKEN_DEFINITIONS)("gives asl-validator's errors for a definition with %s", (_, definition) => {
    const { ours, theirs } = bothResults(definition);
    expect(theirs).not.toMatchObject({ isValid: true });
    expect(ours).toEqual(theirs);
  });

  it("writes the default query language into each state, as asl-validator does", () => {
    const definition = { StartAt: "A", States: { A: { Type: "Pass", End: true }, B: { Type: "Succeed", QueryLanguage: "JSONata" } } };
    runAslValidator(definition);
    expect(definition.States).toEqual({ A: { Type: "Pass", End: true, QueryLanguage: "JSONPath" }, B: { Type: "Succeed", QueryLanguage: "JSONata" } });
  });
});
