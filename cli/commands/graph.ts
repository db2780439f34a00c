import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { machineGraph, toMermaid, toSvg, type SourceLines } from "../../compiler/index.ts";
import { EXIT_OK, UsageError } from "../exit.ts";
import { isHandlerFile, pickHandler } from "../pick-handler.ts";
import { fileProblem, readJsonFile, readStateMachineFile } from "../read-json.ts";

interface GraphFlags {
  format: string;
  out?: string;
  handler?: string;
  sourceMap?: string;
}

export function registerGraph(program: Command, setExit: (code: number) => void): void {
  program
    .command("graph")
    .description("Draw a state machine as Mermaid (renders on GitHub) or SVG, with each state's source line")
    .argument("<file>", "a durable handler (.ts), compiled first, or a state machine (.asl.json)")
    .option("--format <format>", "mermaid or svg", "mermaid")
    .option("--out <file>", "write to this file instead of stdout")
    .option("--handler <export>", "which handler, when the file exports several")
    .option("--source-map <file>", "source-map.json for an .asl.json (default: the one next to it, as build writes it)")
    .addHelpText("after", "\nExit codes: 0 drawn; 1 compile errors; 2 usage errors.")
    .action(async (file: string, flags: GraphFlags) => {
      if (flags.format !== "mermaid" && flags.format !== "svg") throw new UsageError(`--format must be mermaid or svg, not "${flags.format}"`);
      const { definition, sourceLines } = isHandlerFile(file) ? fromHandler(file, flags) : fromDefinitionFile(file, flags);
      const graph = machineGraph(definition, sourceLines);
      const text = flags.format === "svg" ? await toSvg(graph) : toMermaid(graph);
      if (flags.out) writeOut(flags.out, text);
      else process.stdout.write(text);
      setExit(EXIT_OK);
    });
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${fileProblem(err)}`);
  }
}

type Drawable = { definition: object; sourceLines?: SourceLines };

function fromHandler(file: string, flags: GraphFlags): Drawable {
  const handler = pickHandler(file, flags.handler);
  return { definition: handler.definition, sourceLines: handler.sourceMap.states };
}

function fromDefinitionFile(file: string, flags: GraphFlags): Drawable {
  const definition = readStateMachineFile(file);
  const besideIt = path.join(path.dirname(file), "source-map.json");
  const mapFile = flags.sourceMap ?? (existsSync(besideIt) ? besideIt : undefined);
  const sourceLines = mapFile ? (readJsonFile(mapFile, "source map") as { states?: SourceLines }).states : undefined;
  return { definition, sourceLines };
}
