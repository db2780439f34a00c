import { Node, type Expression, type ObjectLiteralElementLike, type ObjectLiteralExpression } from "ts-morph";
import { fail, type Message } from "../diagnostics.ts";
import { optionsObject } from "./const-options.ts";
import { knownNumber, knownString } from "./known-values.ts";

/**
 * The one reader of an operation's options object. Each operation describes which options it
 * accepts and how each is read (operation-options.ts); the reader walks the object literal in
 * source order, so the first refused property is the one reported. Every refusal is D2S2008,
 * except a missing required property (D2S2004). The texts are variants of the diagnostics table.
 */

/** One refusal: a D2S2008 message of the diagnostics table. */
export type Refusal = Message<"D2S2008">;

export type OptionRule =
  /** A number fixed when the machine is built (a literal, a const: known-values.ts). Refused at the property otherwise. */
  | { read: "number"; refused: Refusal }
  /** A string fixed when the machine is built. Refused at the property otherwise. */
  | { read: "string"; refused: Refusal }
  /**
   * Any expression, evaluated by code at run time. When it is written as an object literal, the
   * keys of `refusedInside` are refused in it.
   */
  | { read: "code"; refusedInside?: Record<string, Refusal>; required?: Message<"D2S2004"> };

export interface OptionsSpec {
  /** Refused when the options are not an object literal, or missing when `required`; left out by callers that pass only object literals. */
  notObject?: Refusal;
  /** What the options are called in a refusal of a const that holds them ("map options"). */
  what?: string;
  required?: boolean;
  options: Record<string, OptionRule>;
  /** Any other property is refused with this (`key` is its name, or its text when it has none); without it, ignored. */
  unknown?: (key: string) => Refusal;
}

/** Options that are refused whatever they hold: the operation accepts none. */
export interface NoOptionsSpec {
  none: Refusal;
}

export interface ReadOption {
  property: ObjectLiteralElementLike;
  /** The value of `key: value`, or the name of a shorthand `{ key }`; none for methods. */
  value?: Expression;
  /** The build-time value of a "number" or "string" option. */
  literal?: number | string;
}

export interface ReadOptions {
  /** The object literal read: the argument, or the initializer of the const it names (const-options.ts). */
  node: ObjectLiteralExpression;
  /** The argument as written: what code evaluates at run time, in its own scope. */
  written: Expression;
  values: Record<string, ReadOption>;
}

export function readOptions(spec: NoOptionsSpec, arg: Expression | undefined): undefined;
/** `at` is where missing required options are reported. */
export function readOptions(spec: OptionsSpec, arg: Expression | undefined, at?: Node): ReadOptions | undefined;
export function readOptions(spec: OptionsSpec | NoOptionsSpec, arg: Expression | undefined, at?: Node): ReadOptions | undefined {
  if ("none" in spec) {
    if (arg) refuse(arg, spec.none);
    return undefined;
  }
  if (!arg && !spec.required) return undefined;
  if (!arg || !Node.isObjectLiteralExpression(arg)) {
    if (!spec.notObject) throw new Error("internal error: these options must have been checked to be an object literal");
    if (!arg) return refuse(at!, spec.notObject);
    return { ...readObject(spec, optionsObject(arg, spec.what ?? "options", spec.notObject)), written: arg };
  }
  return { ...readObject(spec, arg), written: arg };
}

function readObject(spec: OptionsSpec, arg: ObjectLiteralExpression): Omit<ReadOptions, "written"> {
  for (const [key, rule] of Object.entries(spec.options)) {
    if (rule.read !== "code" || !rule.required) continue;
    const property = arg.getProperty(key);
    if (!property || !(Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property))) fail(arg, rule.required);
  }
  const values: Record<string, ReadOption> = {};
  for (const property of arg.getProperties()) {
    // A getter or setter counts by its name only where other keys are ignored (so a literal rule
    // refuses it); where other keys are refused, it is refused like a spread, by its text.
    const accessor = Node.isGetAccessorDeclaration(property) || Node.isSetAccessorDeclaration(property);
    const named = Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property);
    const key = named || (accessor && !spec.unknown) ? property.getName() : undefined;
    const rule = key !== undefined && Object.hasOwn(spec.options, key) ? spec.options[key] : undefined;
    if (!rule) {
      if (spec.unknown) refuse(property, spec.unknown(key ?? property.getText()));
      continue;
    }
    const value = Node.isPropertyAssignment(property) ? property.getInitializer() : Node.isShorthandPropertyAssignment(property) ? property.getNameNode() : undefined;
    values[key!] = { property, value, literal: readRule(rule, property, value) };
  }
  return { node: arg, values };
}

function readRule(rule: OptionRule, property: ObjectLiteralElementLike, value: Expression | undefined): number | string | undefined {
  switch (rule.read) {
    case "number": {
      const known = knownNumber(value);
      return known === undefined ? refuse(property, rule.refused) : known;
    }
    case "string": {
      const known = knownString(value);
      return known === undefined ? refuse(property, rule.refused) : known;
    }
    case "code":
      if (value && Node.isObjectLiteralExpression(value)) {
        for (const [inner, refusal] of Object.entries(rule.refusedInside ?? {})) {
          const found = value.getProperty(inner);
          if (found) refuse(found, refusal);
        }
      }
      return undefined;
  }
}

function refuse(node: Node, refusal: Refusal): never {
  fail(node, refusal);
}
