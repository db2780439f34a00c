import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import type { DurableLambdaHandler } from "@aws/durable-execution-sdk-js";
import { OracleError } from "./errors.ts";

/**
 * Loads a handler module (TypeScript or JavaScript, ESM or CommonJS) and returns its durable handler export.
 * tsImport gives every call its own module namespace, so module-level state of the handler file
 * (counters, caches) starts fresh for each scenario.
 *
 * Known cost: each namespace re-evaluates the SDK and its AWS client and is never freed (~4 MB of
 * heap per scenario, measured). One shared namespace with a per-run query string fixes the memory
 * and is ~10% faster, but with it a vitest fork never exits (cause not found yet), so it is not used.
 */
export async function loadHandler(handlerFile: string, exportName = "handler"): Promise<DurableLambdaHandler> {
  const url = pathToFileURL(resolve(handlerFile)).href;
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  } catch (err) {
    throw new OracleError(`cannot load handler module ${handlerFile}: ${(err as Error).message}`);
  }
  // A CommonJS module's exports that Node's export detection misses (`module.exports = { handler: ... }`) are on its default.
  const handler = module[exportName] ?? (exportName === "default" ? undefined : (module.default as Record<string, unknown> | undefined)?.[exportName]);
  if (typeof handler !== "function") {
    throw new OracleError(`${handlerFile} has no function export "${exportName}" (expected withDurableExecution(...))`);
  }
  return handler as DurableLambdaHandler;
}
