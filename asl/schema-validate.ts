import type { SchemaValidateFunction } from "./asl-validator-modules.ts";
import { compileSchemaValidator } from "./schema-compile.ts";

/**
 * asl-validator's schema check, compiled at the first call and kept for the process. In dist/
 * this module is replaced by ajv's standalone code of the same validator, generated at build time
 * (schema-standalone.ts, scripts/bundle.ts), so that the package compiles no schema at all.
 */
let validate: SchemaValidateFunction | undefined;

export function schemaValidateFunction(): SchemaValidateFunction {
  return (validate ??= compileSchemaValidator().validate);
}
