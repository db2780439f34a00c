import type { AslValidatorError, SchemaValidateFunction } from "./asl-validator-modules.ts";

/**
 * asl-validator's jsonSchemaErrors, on a validator compiled once: the same errors in the same
 * order. Of ajv's errors it keeps those at the deepest instance path (a `oneOf` reports a failure
 * under each branch), drops the other errors of a path that has a `oneOf` error, then duplicates
 * of the same instance and schema path.
 */
export function jsonSchemaErrors(definition: unknown, validate: SchemaValidateFunction): AslValidatorError[] {
  validate(definition);
  if (!validate.errors) return [];
  let deepest = 0;
  let selected: NonNullable<SchemaValidateFunction["errors"]> = [];
  for (const error of validate.errors) {
    const depth = error.instancePath.split("/").length;
    if (depth === deepest) selected.push(error);
    else if (depth > deepest) selected = [error];
    deepest = Math.max(deepest, depth);
  }
  const withOneOf = new Set(selected.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  const errors: AslValidatorError[] = [];
  const seen = new Set<string>();
  for (const error of selected) {
    if (error.keyword !== "oneOf" && withOneOf.has(error.instancePath)) continue;
    const schemaPath = decodeURIComponent(error.schemaPath);
    const key = JSON.stringify([schemaPath, error.instancePath]);
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({
      "Error code": "SCHEMA_VALIDATION_FAILED",
      Message: `${error.instancePath} is invalid. ${error.message ?? ""}`,
      schemaError: { instancePath: error.instancePath, schemaPath },
    });
  }
  return errors;
}
