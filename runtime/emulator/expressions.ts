import jsonata from "jsonata";
import { freeVariablesOf, isExpressionString } from "../../asl/index.ts";
import { ErrorNames, StatesError } from "./errors.ts";

/**
 * JSONata in JSONata-mode ASL (AWS docs, "Transforming data with JSONata"): a string that starts
 * with `{%` and ends with `%}` is an expression, at any depth of Arguments/Output/Assign/ItemSelector;
 * every other value is a literal. An expression that yields nothing (undefined), that fails, or that
 * reads a variable that was never assigned raises States.QueryEvaluationError.
 */

interface CompiledExpression {
  source: string;
  expression: jsonata.Expression;
  /** `$name` references that the expression does not bind itself: workflow variables or built-ins. */
  freeVariables: string[];
}

export type Template =
  | { kind: "literal"; value: unknown }
  | { kind: "expression"; compiled: CompiledExpression; field: string }
  | { kind: "object"; entries: Array<[string, Template]> }
  | { kind: "array"; items: Template[] };

/** The variables an expression sees: workflow variables (through the prototype chain), `$states`, functions. */
export type Bindings = Record<string, unknown>;

const compiledBySource = new Map<string, CompiledExpression>();

/** Compiles a field value once; literals stay as they are. `field` names it in error messages. */
export function compileTemplate(value: unknown, field: string): Template {
  if (isExpressionString(value)) return { kind: "expression", compiled: compileExpression(value), field };
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileTemplate(item, `${field}[${i}]`));
    return items.every((t) => t.kind === "literal") ? { kind: "literal", value } : { kind: "array", items };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]): [string, Template] => [k, compileTemplate(v, `${field}.${k}`)]);
    return entries.every(([, t]) => t.kind === "literal") ? { kind: "literal", value } : { kind: "object", entries };
  }
  return { kind: "literal", value };
}

/** Parses `{% ... %}` once per distinct source string. Throws the jsonata syntax error. */
export function compileExpression(source: string): CompiledExpression {
  let compiled = compiledBySource.get(source);
  if (!compiled) {
    const expression = jsonata(source.slice(2, -2));
    compiled = { source, expression, freeVariables: freeVariablesOf(expression.ast()) };
    compiledBySource.set(source, compiled);
  }
  return compiled;
}

export async function evaluateTemplate(template: Template, bindings: Bindings): Promise<unknown> {
  switch (template.kind) {
    case "literal":
      return template.value;
    case "expression":
      return evaluateExpression(template.compiled, template.field, bindings);
    case "array": {
      const out: unknown[] = [];
      for (const item of template.items) out.push(await evaluateTemplate(item, bindings));
      return out;
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, value] of template.entries) out[key] = await evaluateTemplate(value, bindings);
      return out;
    }
  }
}

async function evaluateExpression(compiled: CompiledExpression, field: string, bindings: Bindings): Promise<unknown> {
  for (const name of compiled.freeVariables) {
    if (!(name in bindings) && !(await isBuiltinFunction(name))) {
      throw queryError(compiled, field, `The variable '$${name}' has not been assigned`);
    }
  }
  let result: unknown;
  try {
    // AWS documents no root context for JSONata in Step Functions; state data is read through $states.
    result = await compiled.expression.evaluate(undefined, bindings);
  } catch (err) {
    throw queryError(compiled, field, (err as Error).message);
  }
  if (result === undefined) throw queryError(compiled, field, "returned nothing (undefined)");
  return toJsonValue(result, compiled, field);
}

/** JSONata may hand back sequences (arrays with extra flags) or functions; keep plain JSON only. */
function toJsonValue(value: unknown, compiled: CompiledExpression, field: string): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") throw queryError(compiled, field, "returned a function, not JSON");
    return value;
  }
  if (!Array.isArray(value) && (value as { _jsonata_lambda?: boolean })._jsonata_lambda) {
    throw queryError(compiled, field, "returned a function, not JSON");
  }
  return JSON.parse(JSON.stringify(value));
}

function queryError(compiled: CompiledExpression, field: string, detail: string): StatesError {
  return new StatesError(
    ErrorNames.QueryEvaluationError,
    `The JSONata expression '${compiled.source.slice(2, -2).trim()}' specified for the field '${field}' failed: ${detail}`,
  );
}

const builtinCache = new Map<string, boolean>();

/** True for JSONata's own functions ($string, $count, ...), which are not workflow variables. */
async function isBuiltinFunction(name: string): Promise<boolean> {
  let known = builtinCache.get(name);
  if (known === undefined) {
    known = /^[A-Za-z_]\w*$/.test(name) && (await jsonata(`$${name}`).evaluate({})) !== undefined;
    builtinCache.set(name, known);
  }
  return known;
}
