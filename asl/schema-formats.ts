import { aslValidatorRequire } from "./asl-validator-modules.ts";

type Format = ((value: string) => boolean) | RegExp | { validate: unknown };

const PARSES_KEPT = 10_000;

/**
 * The formats asl-validator's jsonSchemaErrors adds beside ajv-formats' (with its default options,
 * checkPaths and checkArn on): the JSONata strings, asl-path-validator's four path formats (added
 * by its own registerAll) and the ARN format of asl-validator's formats module.
 */
export function aslFormats(): Record<string, Format> {
  const jsonata = aslValidatorRequire("jsonata") as (expression: string) => unknown;
  // As asl-validator's closures: the text between `{%` and `%}`, trimmed, must parse. Parsing is
  // most of what validating a valid definition costs, and machines repeat their expressions (and
  // tests their machines), so the answer is kept per text: it depends on nothing else.
  const parses = new Map<string, boolean>();
  const jsonataString = (value: string) => {
    let known = parses.get(value);
    if (known === undefined) {
      if (parses.size >= PARSES_KEPT) parses.clear();
      parses.set(value, (known = jsonataParses(jsonata, value)));
    }
    return known;
  };
  const maybeJsonataString = (value: string) => {
    const trimmed = value.trim();
    return trimmed.startsWith("{%") || trimmed.endsWith("%}") ? jsonataString(trimmed) : true;
  };
  const formats: Record<string, Format> = { jsonata_string: jsonataString, maybe_jsonata_string: maybeJsonataString };
  // registerAll only calls addFormat (and logs through `logger` when not silent, which its default config is).
  aslValidatorRequire("asl-path-validator").registerAll({ addFormat: (name: string, format: Format) => (formats[name] = format), logger: console });
  formats.asl_arn = aslValidatorRequire("./checks/formats").isArnFormatValid;
  return formats;
}

/**
 * Every format the schemas may name, for the standalone validator of dist/ (its code reads them
 * off this object): ajv-formats' full set, as `addFormats(ajv)` adds it, then asl-validator's.
 */
export function schemaFormats(): Record<string, Format> {
  return { ...aslValidatorRequire("ajv-formats/dist/formats").fullFormats, ...aslFormats() };
}

function jsonataParses(jsonata: (expression: string) => unknown, value: string): boolean {
  const trimmed = value.trim();
  let expression = trimmed.startsWith("{%") ? trimmed.slice(2) : trimmed;
  expression = expression.endsWith("%}") ? expression.slice(0, -2) : expression;
  try {
    jsonata(expression);
    return true;
  } catch {
    return false;
  }
}
