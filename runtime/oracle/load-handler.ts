import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type NamespacedUnregister, register } from "tsx/esm/api";
import type { DurableLambdaHandler } from "@aws/durable-execution-sdk-js";
import { OracleError } from "./errors.ts";

/**
 * One tsx loader namespace for the whole process. tsImport() would give every call a namespace of
 * its own, which re-evaluates the SDK and its AWS client per call and never frees them (measured:
 * ~4 MB of heap per scenario). Instead the handler file is imported with a query unique to the run:
 * its module-level state (counters, caches) starts fresh for each scenario, while packages and the
 * files it imports are loaded once.
 */
let loader: NamespacedUnregister | undefined;
let runNumber = 0;

export async function loadHandler(handlerFile: string, exportName = "handler"): Promise<DurableLambdaHandler> {
  loader ??= register({ namespace: "durable2sfn-oracle" });
  const url = `${pathToFileURL(resolve(handlerFile)).href}?oracle-run=${++runNumber}`;
  let module: Record<string, unknown>;
  try {
    module = (await loader.import(url, import.meta.url)) as Record<string, unknown>;
  } catch (err) {
    throw new OracleError(`cannot load handler module ${handlerFile}: ${(err as Error).message}`);
  }
  const handler = module[exportName];
  if (typeof handler !== "function") {
    throw new OracleError(`${handlerFile} has no function export "${exportName}" (expected withDurableExecution(...))`);
  }
  return handler as DurableLambdaHandler;
}
