import { THROWN_MARKER, UNDEFINED_MARKER_KEY, VALUE_MARKER_KEY } from "../../protocol/index.ts";

/**
 * JSONata formulations of JavaScript operations that are exact for every JSON value an operand
 * may hold, including none at all (JavaScript's undefined): data that crossed the machine's
 * boundary (input, step and callback results, locals computed by fragments) is whatever it is,
 * not what its declared type says. Each takes and returns JSONata text; none of them can raise
 * a JSONata error (so a guard built from them is safe to evaluate in a Choice).
 *
 * `$__v` names the operand inside a block, so that it is evaluated once. The block's own scope
 * holds it, after its value was taken from the enclosing scope: a user local called `__v` is
 * never shadowed where it is read.
 */

/** `$type(x)` is exactly one of `kinds` (JSONata's type names: null boolean number string array object). */
export function typeIn(x: string, ...kinds: string[]): string {
  return kinds.length === 1 ? `$type(${x}) = "${kinds[0]}"` : `$type(${x}) in [${kinds.map((k) => `"${k}"`).join(", ")}]`;
}

/**
 * Not a marker object (protocol/markers.ts: a one-key object whose key starts with `__`), which
 * stands for a JavaScript value with no JSON form (undefined, NaN, an Error, a BatchResult, ...).
 * Only a local itself holds one, never a value inside it.
 */
export function notMarker(x: string): string {
  return `$not($type(${x}) = "object" and ${oneUnderscoreKey(x)})`;
}

const oneUnderscoreKey = (x: string) => `$count($keys(${x})) = 1 and $substring($keys(${x})[0], 0, 2) = "__"`;

/** A plain JSON object, whose properties JSONata reads as JavaScript does. */
export function plainObject(x: string): string {
  return `(${typeIn(x, "object")} and $not(${oneUnderscoreKey(x)}))`;
}

/** JavaScript's truthiness of any JSON value or of nothing (a marker must be ruled out first: `notMarker`). */
export function truthy(x: string): string {
  return `($__v := ${x}; $type($__v) = "boolean" ? $__v : $type($__v) = "number" ? $__v != 0 : $type($__v) = "string" ? $__v != "" : ${typeIn("$__v", "array", "object")})`;
}

/** `x` is null or nothing: what `??` tests (a marker must be ruled out first). */
export function nullish(x: string): string {
  return `($not($exists(${x})) or $type(${x}) = "null")`;
}

/**
 * `String(x)`, exact where `stringGuard(x)` holds: nothing gives "undefined", null "null", a
 * number its JavaScript spelling. JSONata's `$string` writes a number with 15 significant
 * digits, which is JavaScript's spelling exactly when reading it back gives the same number.
 */
export function string(x: string): string {
  return `($__v := ${x}; $type($__v) = "string" ? $__v : $exists($__v) ? $string($__v) : "undefined")`;
}

export function stringGuard(x: string): string {
  return `($__v := ${x}; ${typeIn("$__v", "array", "object")} ? false : $type($__v) = "number" ? $number($string($__v)) = $__v : true)`;
}

/** A number whose sums (or, with `limit` 1e154, products) with another such number stay finite, as JSONata requires. */
export function finiteNumber(x: string, limit: number): string {
  return `(${typeIn(x, "number")} ? $abs(${x}) <= ${limit} : false)`;
}

/** Half of Number.MAX_VALUE: two numbers within it never sum to Infinity. */
export const SUM_LIMIT = 8.98846567431158e307;
/** A duration's parts within it add up (times 86400 at most) to a finite number of seconds. */
export const DURATION_LIMIT = 1e300;
/** Two numbers within it never multiply to Infinity. */
export const PRODUCT_LIMIT = 1e154;

/** `x` when it exists, else the undefined marker: what an Assign stores for JavaScript's undefined. */
export function orUndefinedMarker(x: string): string {
  return `($__v := ${x}; $exists($__v) ? $__v : {"${UNDEFINED_MARKER_KEY}": true})`;
}

/** `a[i]` reads an element: `a` an array (never a marker) and `i` a whole number within it (JSONata would floor a fraction and count a negative from the end). */
export function arrayIndex(a: string, i: string): string {
  return `(${typeIn(a, "array")} and ${typeIn(i, "number")} ? ${i} = $floor(${i}) and ${i} >= 0 and ${i} < $count(${a}) : false)`;
}

/**
 * Caught errors. A catch binding's value is rebuilt by fragments from its error record `r`
 * (runtime/fragments/errors.ts, toError); where the record is not of kind "code" (which may carry
 * any thrown value), its class, name and message follow from the record alone, so JSONata can
 * read them. `caughtGuard` is that condition.
 */
export function caughtGuard(r: string): string {
  return `(${typeIn(r, "object")} and ${r}.kind != "code" and ${typeIn(`${r}.Error`, "string")})`;
}

/** The class toError builds (its `name` too: SDK classes, built-ins and renamed errors are named after it). */
export function caughtClass(r: string): string {
  return `(${r}.kind = "invoke" ? "InvokeError" : ${r}.kind = "child" and $exists(${r}.inner) ? "ChildContextError" : ${r}.kind = "promise" and $exists(${r}.inner) ? "PromiseCombinatorError" : ${r}.kind = "callback" ? (${r}.Error in ["CallbackTimeoutError", "CallbackSubmitterError"] ? ${r}.Error : "CallbackExternalError") : ${r}.Error)`;
}

/** A JSON string as JSON.stringify writes it, and nothing else (so that `$parse` cannot fail on what matches). */
// Backslashes and slashes are written \x5c and \x2f: JSONata's scanner finds the end of a regex by
// counting brackets not preceded by a backslash.
const JSON_STRING = String.raw`"(?:[^"\x5c\u0000-\u001f]|\x5c["\x5c\x2fbfnrt]|\x5cu[0-9a-fA-F]{4})*"`;
/** The Cause of a Lambda function error, `{"errorType","errorMessage","trace"}` as the runtime writes it (with a message, unless `anyMessage`). */
const lambdaCause = (anyMessage: boolean) =>
  String.raw`/^\{"errorType":${JSON_STRING},"errorMessage":${anyMessage ? JSON_STRING : JSON_STRING.replace(/\*"$/, '+"')},"trace":\[(?:${JSON_STRING}(?:,${JSON_STRING})*)?\]\}$/`;
const LAMBDA_CAUSE = lambdaCause(false);
/** What JSON.parse may take for an object: the Cause is then read as JSON. */
const OBJECT_START = String.raw`/^[ \t\n\r]*\{/`;

/**
 * The message: a Lambda error Cause's errorMessage, else the Cause itself, exact where
 * `caughtMessageGuard` holds: the Cause is a Lambda error's with a message, or is no JSON object
 * and not empty (an empty message would give the class's default one).
 */
export function caughtMessage(r: string): string {
  return `($c := ${r}.Cause; $contains($c, ${OBJECT_START}) ? $parse($c).errorMessage : $c)`;
}

export function caughtMessageGuard(r: string): string {
  return `(${typeIn(`${r}.Cause`, "string")} ? ($contains(${r}.Cause, ${OBJECT_START}) ? $contains(${r}.Cause, ${LAMBDA_CAUSE}) : ${r}.Cause != "") : false)`;
}

/**
 * The class of the value a code record carries (runtime/fragments/errors.ts carriedFailure: the
 * first trace line holding the thrown marker, which the catch code decodes, `thrownValue`), where
 * it is a built-in or SDK error class: the tag of an instance (carry.ts) is a null-prototype
 * object whose first key `c` names its class, so devalue writes that name right after the root
 * (`[[1],["null","c",2,"p",3,"h",n],"builtin:Error",...]`), and the decoded value has exactly
 * that class's prototype. Nothing for any other record, value or class (a class of the module may
 * extend any other): the fragments decide those. Safe to evaluate on any record: the Cause is
 * parsed only when it is a Lambda error's JSON, the marker's text is only matched.
 */
export function carriedClass(r: string, pattern = carriedErrorPattern()): string {
  const line = `$filter($parse(${r}.Cause).trace, function($l) { $contains($l, "${THROWN_MARKER}") })[0]`;
  const value = `$substringAfter(${line}, "${THROWN_MARKER}")`;
  const key = `$match(${value}, ${pattern}).groups[0]`;
  return `(${typeIn(`${r}.Cause`, "string")} ? ($contains(${r}.Cause, ${lambdaCause(true)}) ? $substringAfter(${key}, ":")))`;
}

/** Where JSONata knows the class a record rebuilds into: caughtGuard, or a code record carrying an instance of a built-in or SDK error class. */
export function caughtClassGuard(r: string): string {
  return `(${caughtGuard(r)} or (${typeIn(r, "object")} and ${r}.kind = "code" and $exists(${carriedClass(r)})))`;
}

/** The class the catch code sees, where caughtClassGuard holds: the carried value's, or the one toError builds. */
export function caughtClassOf(r: string): string {
  return `(${r}.kind = "code" ? ${carriedClass(r)} : ${caughtClass(r)})`;
}

/**
 * A code record that a rethrow may hand on as it is (Selection.rethrown): the fragment that threw
 * the decoded value again would fail with the record's name and message. So the value is an
 * instance of a built-in error class whose own properties hold its message and neither a name
 * nor an errorType (carry.ts keeps every own property, and adds `name` when the class's differs),
 * and the record's name is that class's: only a class of no known name between the two could
 * have given the thrown value another name or message (runtime/fragments/errors.ts sdkErrorObject).
 */
export function rethrownCodeGuard(r: string): string {
  return `(${typeIn(r, "object")} and ${r}.kind = "code" and ${typeIn(`${r}.Error`, "string")} and ${r}.Error = ${carriedClass(r, carriedErrorPattern(true))})`;
}

/** The class names an instance's tag may carry that carriedClass reads (values.ts knownClasses: `builtin:` and `sdk:` keys). */
const CARRIED_CLASSES = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"];
// The marker's JSON (`{"__d2s_value":{"at":0,"of":"<devalue text>"}}`): the text's quotes are written \" (x5c is a backslash).
const q = String.raw`\x5c"`;
// With `ownMessage`: built-in classes only, and the own properties (devalue's object of indexes, right after the class) have a message and no name or errorType.
const carriedErrorPattern = (ownMessage = false) => {
  const sdk = ownMessage ? "" : `|sdk:(?:${Object.keys(SDK_ERROR_SUBCLASSES).join("|")})`;
  const key = String.raw`${q}(?!name${q}|errorType${q})[^"\x5c]*${q}:[0-9]+`;
  const own = ownMessage ? String.raw`\{(?:${key},)*${q}message${q}:[0-9]+(?:,${key})*\},` : "";
  return String.raw`/^\{"${VALUE_MARKER_KEY}":\{"at":0,"of":"\[\[1\],\[${q}null${q},${q}c${q},2,${q}p${q},3,${q}h${q},[0-9]+\],${q}(builtin:(?:${CARRIED_CLASSES.join("|")})${sdk})${q},${own}${JSON_STRING.slice(1, -1)}"\}\}$/`;
};

/** The SDK's error classes and the classes toError may build that are instances of each. */
const CALLBACK_ERRORS = ["CallbackError", "CallbackExternalError", "CallbackTimeoutError", "CallbackSubmitterError"];
const LEAF_ERRORS = ["StepError", "InvokeError", "ChildContextError", "PromiseCombinatorError", "WaitForConditionError", "BatchCompletionError"];
export const SDK_ERROR_SUBCLASSES: Record<string, string[]> = {
  DurableOperationError: ["DurableOperationError", ...CALLBACK_ERRORS, ...LEAF_ERRORS],
  CallbackError: CALLBACK_ERRORS,
  ...Object.fromEntries([...CALLBACK_ERRORS.slice(1), ...LEAF_ERRORS].map((name) => [name, [name]])),
};
/** Built-in error classes toError builds by name (errors.ts BUILTIN_ERRORS); none of them has a subclass there. */
export const BUILTIN_ERROR_CLASSES = ["TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"];

/** `typeof x` of any JSON value or of nothing (a marker must be ruled out first): null, arrays and objects are "object". */
export function typeOf(x: string): string {
  return `($__v := ${x}; $exists($__v) ? ($type($__v) in ["null", "array", "object"] ? "object" : $type($__v)) : "undefined")`;
}
