import path from "node:path";
import type { CompiledHandler } from "../types.ts";
import { serialize } from "./asl.ts";
import { templateYaml } from "./template.ts";

/** Paths (relative, with `/`) and contents of the files one handler's output folder holds. */
export type OutputFiles = Record<string, string>;

/**
 * What `build` writes into each handler folder besides the outputs: the files it wrote and the
 * source they came from. A later build replaces a folder only when it holds this marker and
 * nothing else than the files it lists, so that a folder of the user's is never deleted.
 */
export const MARKER_FILE = ".durable2sfn-build.json";

export interface BuildMarker {
  writtenBy: "durable2sfn";
  handler: string;
  /** The handler's file, relative to the output folder (the same on every checkout). */
  source: string;
  files: string[];
}

/** The four outputs of one handler, given its bundled fragments and its state machine's name. */
export function handlerOutputFiles(handler: CompiledHandler, bundle: string, machineName?: string): OutputFiles {
  return {
    "state-machine.asl.json": serialize(handler.definition),
    "fragments/index.mjs": bundle,
    "source-map.json": serialize(handler.sourceMap),
    "template.yaml": templateYaml(handler, machineName),
  };
}

export function markerFor(handler: CompiledHandler, dir: string, files: OutputFiles): BuildMarker {
  const source = path.relative(path.resolve(dir), handler.file).split(path.sep).join("/");
  return { writtenBy: "durable2sfn", handler: handler.name, source, files: Object.keys(files).sort() };
}

/** The marker of a folder, or undefined when the text is not one this tool wrote. */
export function parseMarker(text: string): BuildMarker | undefined {
  try {
    const marker = JSON.parse(text) as Partial<BuildMarker>;
    const ok = marker.writtenBy === "durable2sfn" && Array.isArray(marker.files) && marker.files.every((f) => typeof f === "string");
    return ok ? (marker as BuildMarker) : undefined;
  } catch {
    return undefined;
  }
}
