import { aslValidatorRequire } from "./asl-validator-modules.ts";
import { compileSchemaValidator } from "./schema-compile.ts";

/**
 * The source of a module that stands in for schema-validate.ts in dist/ (scripts/bundle.ts): ajv's
 * standalone code of the validator schema-compile.ts compiles, so that the package compiles no
 * schema when it runs. The code names the formats as members of `formats`, given here by
 * schema-formats.ts's schemaFormats() (imported from `formatsModule`). It runs at the first call,
 * as the compile it replaces does, so that a process that validates nothing pays nothing.
 */
export function standaloneSchemaModule(formatsModule: string): string {
  const { ajv, validate } = compileSchemaValidator(true);
  const code: string = aslValidatorRequire("ajv/dist/standalone").default(ajv, validate);
  return `// Generated from asl-validator's schemas by asl/schema-standalone.ts; see asl/schema-validate.ts.
import { schemaFormats } from ${JSON.stringify(formatsModule)};

let validate;

export function schemaValidateFunction() {
  if (validate === undefined) {
    const module = { exports: {} };
    (function (module, formats) {
${code}
    })(module, schemaFormats());
    validate = module.exports;
  }
  return validate;
}
`;
}
