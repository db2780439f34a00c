/** JSONata text for user strings and names: literals, property reads, whole-field expressions. */

/**
 * A JSONata string literal whose value is exactly `text`, whatever it holds. JSON's escapes are
 * JSONata's (quotes, backslashes, control characters, lone surrogates as `\uXXXX`); on top of
 * them, `{%` and `%}` are written `{\u0025` / `\u0025}` so that no field value can look like
 * the end or start of an expression, `${` is written `\u0024{` so that CloudFormation's
 * DefinitionSubstitutions (and `deploy`) never see a placeholder in user text, and the line
 * separators U+2028/U+2029 are escaped as JSON leaves them (the ASL schema's `.+` stops at them).
 */
export function jsonataString(text: string): string {
  return JSON.stringify(text)
    .replace(/\{%/g, "{\\u0025")
    .replace(/%\}/g, "\\u0025}")
    .replace(/\$\{/g, "\\u0024{")
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * A user string as a whole ASL field value: as it is when Step Functions takes it as a literal,
 * else as a JSONata expression that yields it. A value that starts with `{%` and ends with `%}`
 * would be evaluated, one with `${` substituted at deploy time, and the ASL schema (asl-validator)
 * takes no empty literal nor one with a line break.
 */
export function literalValue(text: string): string {
  return text === "" || /\{%|%\}|\$\{|[\n\r\u2028\u2029]/.test(text) ? expression(jsonataString(text)) : text;
}

/** Words JSONata reads as operators or literals, never as a path step. */
const JSONATA_WORDS = new Set(["and", "or", "in", "true", "false", "null", "function"]);

/**
 * `owner.name` in JSONata: a plain name as it is, another printable ASCII one (a keyword,
 * spaces, dashes, a digit first, `$`) in backticks. JSONata 2 has no escape inside backticks, so
 * a name with a backtick, other characters, or what must never appear raw (`{%`, `%}`, `${`) is
 * read with `$lookup`, which is the same on an object.
 */
export function propertyOf(owner: string, name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !JSONATA_WORDS.has(name)) return `${owner}.${name}`;
  if (/^[\x20-\x7e]+$/.test(name) && !/`|\{%|%\}|\$\{/.test(name)) return `${owner}.\`${name}\``;
  return `$lookup(${owner}, ${jsonataString(name)})`;
}

/** A whole-field JSONata value, as ASL writes it. */
export function expression(jsonata: string): string {
  return `{% ${jsonata} %}`;
}
