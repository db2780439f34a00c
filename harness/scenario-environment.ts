import { environmentParameters } from "../compiler/emit/template-invokes.ts";
import type { CompiledHandler } from "../compiler/index.ts";
import type { AslDefinition } from "../compiler/emit/asl.ts";
// The scenario module alone, not the emulator index: deploy reaches this through the API at start-up.
import { ScenarioError, type Scenario } from "../runtime/emulator/scenario.ts";

/**
 * The handler's environment in a local run: the process's, with the scenario's `env` over it.
 * Deployed, the template fills the same variables (emit/template.ts); here the definition's
 * `${EnvPAYMENTFN}` placeholders get the values, and handler and fragments see them in process.env.
 */
export function environmentOf(scenario: Scenario): Record<string, string | undefined> {
  return { ...process.env, ...scenario.env };
}

/** The definition with each invoke's `${Parameter}` replaced by its variable's value; `where` says where a missing one can be set. */
export function substituteEnvironment(handler: CompiledHandler, scenario: Scenario, where = `the environment or in the scenario's "env"`): AslDefinition {
  const parameters = environmentParameters(handler);
  if (parameters.size === 0) return handler.definition;
  const env = environmentOf(scenario);
  let text = JSON.stringify(handler.definition);
  for (const [parameter, variable] of parameters) {
    const value = env[variable];
    if (value === undefined) {
      throw new ScenarioError(`the handler invokes the function that ${variable} names, and ${variable} is not set: set it in ${where}`);
    }
    text = text.split(`\${${parameter}}`).join(JSON.stringify(value).slice(1, -1));
  }
  return JSON.parse(text) as AslDefinition;
}

/** Runs `body` with the scenario's variables in process.env (handler and fragments run in this process), then puts them back. */
export async function withScenarioEnvironment<T>(scenario: Scenario, body: () => Promise<T>): Promise<T> {
  const saved = Object.entries(scenario.env ?? {}).map(([key]) => [key, process.env[key]] as const);
  Object.assign(process.env, scenario.env);
  try {
    return await body();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
