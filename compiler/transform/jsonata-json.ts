/**
 * `JSON.parse(s)` as JSONata's `$parse(s)` (Step Functions' JSON.parse), under a guard that `s` is
 * a string that JSON.parse reads without error into a value an ASL Variable holds as it is. JSONata
 * has no try: `$parse` of bad text fails the state, where JavaScript throws a SyntaxError the
 * handler may catch, so the guard decides validity first, without `$parse`, by rewriting:
 *
 * 1. one left-to-right pass over the text takes each string token, as a key (`"a" :` becomes
 *    `k:`) or a value (`S`), and keeps the runs between them (an `S` or `k` there, which JSON
 *    never allows outside a string, becomes `#`); a quote left over (a string JSON does not
 *    allow) fails the guard, so every token was read from its real start;
 * 2. numbers, `true`, `false`, `null` become `S`;
 * 3. an innermost array or object of such parts becomes `S`, again, up to MAX_DEPTH times;
 * 4. the text is valid when one `S` is left, between JSON whitespace.
 * Each step keeps exactly the texts JSON allows (a stray `-`, a letter, two values side by side
 * are never rewritten away). The numbers taken are those whose value an ASL Variable keeps: at
 * most 20 digits before and after the point, no exponent (no Infinity, no underflow), no minus
 * zero; a `\u` escape of a surrogate is taken only as half of a pair (a lone one has no UTF-8
 * form). Anything else fails the guard and the fragment gives JavaScript's value or SyntaxError.
 */

/** The deepest nesting the guard reads (each level costs a pass over the text); deeper JSON runs in code. */
const MAX_DEPTH = 32;
/** The longest text the guard reads; longer runs in code. */
const MAX_LENGTH = 65536;

// Backslashes and slashes are written \x5c and \x2f (JSONata's scanner ends a regex at an unescaped slash).
const W = "[ \\t\\n\\r]*";
const STRING = String.raw`"(?:[^"\x5c\u0000-\u001f]|\x5c["\x5c\x2fbfnrt]|\x5cu[dD][89abAB][0-9a-fA-F]{2}\x5cu[dD][c-fC-F][0-9a-fA-F]{2}|\x5cu(?![dD][89a-fA-F])[0-9a-fA-F]{4})*"`;
const TOKENS = `/${STRING}(?:${W}:)?|[^"]+/`;
const SCALAR = String.raw`/(?:-(?=[1-9]|0\.[0-9]*[1-9]))?(?:0|[1-9][0-9]{0,19})(?:\.[0-9]{1,20})?|true|false|null/`;
const ARRAY = String.raw`\[${W}(?:S${W}(?:,${W}S${W})*)?\]`;
const OBJECT = String.raw`\{${W}(?:k:${W}S${W}(?:,${W}k:${W}S${W})*)?\}`;

/** JSONata: `s` (a string) is JSON text that `$parse` reads as JSON.parse does, into a value a Variable keeps. */
export function parsableJson(s: string): string {
  const tokens = `$replace(${s}, ${TOKENS}, function($m) { $substring($m.match, 0, 1) = '"' ? ($substring($m.match, -1) = ":" ? "k:" : "S") : $replace($m.match, /[Sk]/, "#") })`;
  const reduce = `function($t, $n) { ($u := $replace($t, /${ARRAY}|${OBJECT}/, "S"); $u = $t or $n + 1 >= ${MAX_DEPTH} ? $u : $__reduce($u, $n + 1)) }`;
  return `($type(${s}) = "string" and $length(${s}) <= ${MAX_LENGTH} ? ($__t := ${tokens}; $contains($__t, '"') ? false : ($__reduce := ${reduce}; $contains($__reduce($replace($__t, ${SCALAR}, "S"), 0), /^${W}S${W}$/))) : false)`;
}

/** JSONata: JSON.parse of `s`, exact where `parsableJson(s)` holds. */
export function parsedJson(s: string): string {
  return `$parse(${s})`;
}
