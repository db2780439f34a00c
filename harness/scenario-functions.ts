import { dirname, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ScenarioError, type Scenario } from "../runtime/emulator/index.ts";

/** The functions a scenario provides for `context.invoke`, loaded from their modules. */
export async function loadScenarioFunctions(scenario: Scenario, handlerFile: string): Promise<Map<string, (event: unknown) => Promise<unknown>>> {
  const out = new Map<string, (event: unknown) => Promise<unknown>>();
  for (const [name, ref] of Object.entries(scenario.functions ?? {})) {
    const [modulePath, exportName] = ref.split("#");
    const file = resolve(dirname(handlerFile), modulePath);
    const shown = relative(process.cwd(), file);
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === "ERR_MODULE_NOT_FOUND" ? "no such module" : (err as Error).message.split("\n")[0];
      throw new ScenarioError(`scenario functions.${name}: cannot load ${shown} (${why})`);
    }
    const fn = mod[exportName];
    if (typeof fn !== "function") throw new ScenarioError(`scenario functions.${name}: ${shown} has no exported function "${exportName}"`);
    out.set(name, fn as (event: unknown) => Promise<unknown>);
  }
  return out;
}
