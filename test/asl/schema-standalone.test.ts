import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaValidateFunction } from "../../asl/asl-validator-modules.ts";
import { copyForAslValidator } from "../../asl/asl-validator-check.ts";
import { runAslValidator } from "../../asl/asl-validator-run.ts";
import { compileSchemaValidator } from "../../asl/schema-compile.ts";
import { standaloneSchemaModule } from "../../asl/schema-standalone.ts";
import { BROKEN_DEFINITIONS } from "./broken-definitions.ts";
import { REPOSITORY_ASL } from "./repository-asl.ts";

/**
 * The validator dist/ ships (ajv's standalone code, generated at build time, with the formats read
 * off schema-formats.ts) against the one the repository compiles: the same result for the same
 * definitions. The module is written and imported as the bundle would have it.
 */
let work: string;
let standalone: SchemaValidateFunction;
const compiled = compileSchemaValidator().validate;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "d2s-standalone-"));
  const file = path.join(work, "schema-validate.mjs");
  writeFileSync(file, standaloneSchemaModule(path.resolve(import.meta.dirname, "../../asl/schema-formats.ts")));
  standalone = (await import(pathToFileURL(file).href)).schemaValidateFunction();
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function outcome(definition: Record<string, unknown>, validate: SchemaValidateFunction) {
  try {
    return runAslValidator(structuredClone(definition), validate);
  } catch (e) {
    return { threw: String(e) };
  }
}

describe("the standalone schema validator of dist/", () => {
  it("is code, not the compiled function", () => {
    expect(standalone).not.toBe(compiled);
    expect(typeof standalone).toBe("function");
  });

  it("gives the compiled validator's result for every ASL file of the repository and every broken definition", () => {
    const definitions: Array<[string, Record<string, unknown>]> = [...REPOSITORY_ASL.map(([file, d]): [string, Record<string, unknown>] => [file, copyForAslValidator(d).copy]), ...BROKEN_DEFINITIONS];
    let refused = 0;
    for (const [name, definition] of definitions) {
      const theirs = outcome(definition, compiled);
      expect(outcome(definition, standalone), name).toEqual(theirs);
      if ("isValid" in theirs && !theirs.isValid) refused++;
    }
    // The formats are reached: a JSONata, a path, an ARN and a timestamp that fail are among them.
    expect(refused).toBeGreaterThanOrEqual(BROKEN_DEFINITIONS.length - 1);
    for (const format of ["jsonata_string", "asl_path", "asl_result_path", "asl_payload_template", "asl_ref_path"]) {
      expect(BROKEN_DEFINITIONS.some(([, d]) => JSON.stringify(outcome(d, standalone)).includes(`must match format \\"${format}\\"`)), format).toBe(true);
    }
  });
});
