import { aslValidatorRequire, type SchemaValidateFunction } from "./asl-validator-modules.ts";
import { aslFormats } from "./schema-formats.ts";

/** asl-validator's schemas, in the order its jsonSchemaErrors gives them to ajv. */
const SCHEMAS = ["common", "paths", "jsonata", "choice", "fail", "parallel", "pass", "base-state-machine", "state-machine", "state", "succeed", "task", "wait", "map", "errors"];
export const STATE_MACHINE_SCHEMA = "http://asl-validator.cloud/state-machine.json#";

/**
 * ajv set up exactly as asl-validator's jsonSchemaErrors sets it up (same schemas, options and
 * formats), which it does again at every call (about 0.2 s); compiled here once by the caller.
 * `standalone` keeps the generated source (ajv's `code.source`) and names the formats as members
 * of a variable `formats` in scope (schema-formats.ts's schemaFormats()), so that
 * ajv/dist/standalone can write it out as a module (schema-standalone.ts).
 */
export function compileSchemaValidator(standalone = false): { ajv: unknown; validate: SchemaValidateFunction } {
  const ajvModule = aslValidatorRequire("ajv");
  const Ajv = ajvModule.default;
  const code = standalone ? { code: { source: true, formats: ajvModule._`formats` } } : {};
  const ajv = new Ajv({ schemas: SCHEMAS.map((name) => aslValidatorRequire(`./schemas/${name}.json`)), allowUnionTypes: true, ...code });
  aslValidatorRequire("ajv-formats")(ajv);
  for (const [name, format] of Object.entries(aslFormats())) ajv.addFormat(name, format);
  return { ajv, validate: ajv.getSchema(STATE_MACHINE_SCHEMA) };
}
