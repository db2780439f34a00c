import { createRequire } from "node:module";

/**
 * The modules of asl-validator 4 we run ourselves (its schemas, its checks) and the packages it
 * depends on (ajv, ajv-formats, asl-path-validator, jsonata, jsonpath-plus), required from its own
 * folder: the very files and versions its validator() runs with, wherever npm installed them.
 * None is a dependency of ours, so none is imported by name.
 */
let fromAslValidator: NodeRequire | undefined;

export function aslValidatorRequire(id: string): any {
  fromAslValidator ??= createRequire(createRequire(import.meta.url).resolve("asl-validator"));
  return fromAslValidator(id);
}

/** One error of asl-validator's result, as its checks build them. */
export interface AslValidatorError {
  "Error code": string;
  Message: string;
  schemaError?: { instancePath: string; schemaPath: string };
}

export interface AslValidatorResult {
  isValid: boolean;
  errors: AslValidatorError[];
}

/** What ajv's compiled (or standalone) validate function is: a predicate that leaves its errors on itself. */
export interface SchemaValidateFunction {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; schemaPath: string; keyword: string; message?: string }> | null;
}
