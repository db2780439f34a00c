import path from "node:path";
import type { Command } from "commander";
import { BundleError, compile, type CompiledOutput } from "../../api/index.ts";
import { formatDiagnostic, markerFor, OutputError, projectTemplateYaml, writeOutputs, type Diagnostic } from "../../compiler/index.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../exit.ts";
import { diffOutputs } from "../output-diff.ts";
import { diffProjectTemplate, PROJECT_TEMPLATE, projectTemplateRefusal, writeProjectTemplate } from "../project-template.ts";

interface BuildFlags {
  out?: string;
  check?: boolean;
  diagnostics?: string;
  handler?: string;
  optimize: boolean;
}

const EXIT_CODES = `
Exit codes:
  0  built (with --check: the committed outputs are up to date)
  1  nothing written: compile or bundling errors, a folder build did not write, --out not writable (--check: outputs differ)
  2  usage errors (also: --out is a file)

Each handler folder holds .durable2sfn-build.json, the list of files build wrote: a later build
replaces a folder only when it holds that list and nothing else (or is empty, or missing).

Several handlers also give <dir>/template.yaml, one SAM stack of them all (shared parameters,
Outputs exported); a template.yaml there that durable2sfn did not write is never replaced.`;

export function registerBuild(program: Command, setExit: (code: number) => void): void {
  program
    .command("build")
    .description("Compile durable handlers into state-machine.asl.json, fragments/index.mjs, source-map.json and template.yaml")
    .argument("<handler.ts...>", "TypeScript or JavaScript files (.ts, .mts, .cts, .js, .mjs, .cjs) that export durable handlers")
    .option("--out <dir>", "output folder; each handler gets <dir>/<handler-name>/", "durable2sfn.out")
    .option("--check", "write nothing; exit 1 and list the files when the outputs in --out differ from a fresh build")
    .option("--handler <export>", "build only this durable handler of each file (default: every one)")
    .option("--no-optimize", "the plain mapping, every state the transform made, unfolded (for debugging)")
    .option("--diagnostics <format>", "text (default, on stderr) or json: one array of {code, severity, file, line, column, message, hint} on stdout")
    .addHelpText("after", EXIT_CODES)
    .action(async (files: string[], flags: BuildFlags) => {
      const format = flags.diagnostics ?? "text";
      if (format !== "text" && format !== "json") throw new UsageError(`--diagnostics must be text or json, not "${format}"`);
      // With JSON diagnostics, stdout carries only the array; everything for people goes to stderr.
      const say = (line: string) => (format === "json" ? process.stderr : process.stdout).write(`${line}\n`);

      // Compile everything first: a single error anywhere means nothing is written.
      // Bundling too happens before anything is written, so that an esbuild failure in the last handler leaves `--out` as it was.
      const compilation = await compile(files, {
        handler: flags.handler,
        optimize: flags.optimize,
        onFile: (file, i, count) => count > 1 && process.stderr.write(`compiling ${file} [${i + 1}/${count}]\n`),
      }).catch((err: unknown) => {
        if (!(err instanceof BundleError)) throw err;
        process.stderr.write(`durable2sfn: ${err.message}; nothing was written\n`);
        return undefined;
      });
      if (!compilation) return setExit(EXIT_FAILURE);
      const { diagnostics } = compilation;
      reportDiagnostics(diagnostics, format);
      if (!compilation.ok) {
        const count = diagnostics.filter((d) => d.severity === "error").length;
        process.stderr.write(`\nFound ${count} error${count === 1 ? "" : "s"}; nothing was written.\n`);
        return setExit(EXIT_FAILURE);
      }
      const out = flags.out ?? "durable2sfn.out";
      const targets = compilation.outputs.map((o) => ({ ...o, outDir: path.join(out, o.folder) }));
      const project = targets.length > 1 ? projectTemplateYaml(targets) : undefined;
      const ok = flags.check ? check(targets, out, project, say) : write(targets, out, files, project, say);
      setExit(ok ? EXIT_OK : EXIT_FAILURE);
    });
}

type Target = CompiledOutput & { outDir: string };

function write(targets: Target[], out: string, sources: string[], project: string | undefined, say: (line: string) => void): boolean {
  const refused = project === undefined ? undefined : projectTemplateRefusal(out);
  if (refused) {
    process.stderr.write(`durable2sfn: ${refused} (choose another --out)\n`);
    return false;
  }
  try {
    writeOutputs(
      out,
      targets.map(({ handler, outDir, files }) => ({ dir: outDir, files, marker: markerFor(handler, outDir, files) })),
      sources,
    );
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    const line = `${err.message} (choose another --out)`;
    if (err.usage) throw new UsageError(line);
    process.stderr.write(`durable2sfn: ${line}\n`);
    return false;
  }
  for (const [i, { handler, outDir }] of targets.entries()) {
    const states = Object.keys(handler.definition.States).length;
    say(`${progress(i, targets)}built ${path.relative(process.cwd(), handler.file)} (${handler.name}) -> ${outDir}/ (${states} states)`);
  }
  if (project === undefined) return true;
  try {
    writeProjectTemplate(out, project);
  } catch (err) {
    process.stderr.write(`durable2sfn: the handler folders are written, but not ${path.join(out, PROJECT_TEMPLATE)}: ${err instanceof Error ? err.message : String(err)}\n`);
    return false;
  }
  say(`stack of ${targets.length} handlers -> ${path.join(out, PROJECT_TEMPLATE)}`);
  return true;
}

/** Compares a fresh build, in memory, with the folders in --out, like a formatter's check mode; writes nothing. */
function check(targets: Target[], out: string, project: string | undefined, say: (line: string) => void): boolean {
  let upToDate = true;
  for (const [i, { files, outDir }] of targets.entries()) {
    const differences = diffOutputs(files, outDir);
    for (const d of differences) say(`${d.kind.padEnd(8)} ${path.join(outDir, d.file)}`);
    if (differences.length === 0) say(`${progress(i, targets)}up to date ${outDir}/`);
    upToDate &&= differences.length === 0;
  }
  const stack = project === undefined ? [] : diffProjectTemplate(out, project);
  for (const d of stack) say(`${d.kind.padEnd(8)} ${path.join(out, d.file)}`);
  upToDate &&= stack.length === 0;
  if (!upToDate) say("\nSome outputs differ from a fresh build: run `durable2sfn build` (same arguments, without --check) and commit the result.");
  return upToDate;
}

/** `[2/5] ` when several handlers build, so that a long build shows how far it is. */
function progress(index: number, targets: Target[]): string {
  return targets.length > 1 ? `[${index + 1}/${targets.length}] ` : "";
}

function reportDiagnostics(diagnostics: Diagnostic[], format: "text" | "json"): void {
  if (format === "text") {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return;
  }
  const rows = diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    file: path.relative(process.cwd(), d.file) || d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    hint: d.hint ?? null,
  }));
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
}
