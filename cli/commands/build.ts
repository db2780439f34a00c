import path from "node:path";
import type { Command } from "commander";
import { compileFile, hasErrors, writeHandlerOutputs } from "../../compiler/index.ts";
import { formatDiagnostic } from "../../compiler/diagnostics.ts";
import { EXIT_FAILURE, EXIT_OK } from "../main.ts";

interface BuildFlags {
  out?: string;
}

export function registerBuild(program: Command, setExit: (code: number) => void): void {
  program
    .command("build")
    .description("Compile durable handlers into state-machine.asl.json, fragments/index.mjs and source-map.json")
    .argument("<handler.ts...>", "TypeScript files that export durable handlers")
    .option("--out <dir>", "output folder; each handler gets <dir>/<handler-name>/", "durable2sfn.out")
    .addHelpText("after", "\nExit codes: 0 built; 1 compile errors (nothing is written); 2 usage errors.")
    .action(async (files: string[], flags: BuildFlags) => {
      // Compile everything first: a single error anywhere means nothing is written.
      const results = files.map((file) => ({ file, ...compileFile(file) }));
      const diagnostics = results.flatMap((r) => r.diagnostics);
      for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (hasErrors(diagnostics)) {
        const count = diagnostics.filter((d) => d.severity === "error").length;
        process.stderr.write(`\nFound ${count} error${count === 1 ? "" : "s"}; nothing was written.\n`);
        return setExit(EXIT_FAILURE);
      }
      const handlers = results.flatMap((r) => r.handlers);
      const names = new Set<string>();
      for (const [i, handler] of handlers.entries()) {
        const dirName = names.has(handler.name) ? `${path.basename(handler.file, ".ts")}-${handler.name}` : handler.name;
        names.add(dirName);
        const outDir = path.join(flags.out ?? "durable2sfn.out", dirName);
        if (handlers.length > 1) process.stderr.write(`[${i + 1}/${handlers.length}] `);
        await writeHandlerOutputs(handler, outDir);
        const states = Object.keys(handler.definition.States).length;
        process.stdout.write(`built ${path.relative(process.cwd(), handler.file)} (${handler.name}) -> ${outDir}/ (${states} states)\n`);
      }
      setExit(EXIT_OK);
    });
}
