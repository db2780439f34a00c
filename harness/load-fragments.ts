import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CompiledHandler } from "../compiler/index.ts";

/** The fragments function, called as Lambda calls it: the event and the context (its request id names the log lines). */
export type FragmentsHandler = (event: unknown, context?: { awsRequestId: string }) => Promise<unknown>;

/** The fragments bundled for local runs (see bundleFragments); esbuild and the compiler load only when one is made. */
export async function localBundle(handler: CompiledHandler): Promise<string> {
  const { bundleFragments } = await import("../compiler/index.ts");
  return bundleFragments(handler.fragmentsSource, handler.file, "local");
}

/** Loads the fragments into this process, for local runs: bundled here unless `bundle` (a localBundle) is given. */
export async function loadFragments(handler: CompiledHandler, bundle?: string): Promise<FragmentsHandler> {
  bundle ??= await localBundle(handler);
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
