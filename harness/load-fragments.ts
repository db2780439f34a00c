import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleFragments, type CompiledHandler } from "../compiler/index.ts";

/** The fragments function, called as Lambda calls it: the event and the context (its request id names the log lines). */
export type FragmentsHandler = (event: unknown, context?: { awsRequestId: string }) => Promise<unknown>;

/** Bundles the fragments and loads them into this process, for local runs. */
export async function loadFragments(handler: CompiledHandler): Promise<FragmentsHandler> {
  const bundle = await bundleFragments(handler.fragmentsSource, handler.file, "local");
  const dir = mkdtempSync(path.join(os.tmpdir(), "durable2sfn-"));
  const file = path.join(dir, "index.mjs");
  writeFileSync(file, bundle);
  try {
    const mod = await import(pathToFileURL(file).href);
    return mod.handler as FragmentsHandler;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
