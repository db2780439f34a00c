import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { compileFile, hasErrors, writeHandlerOutputs, type CompiledHandler } from "../../compiler/index.ts";
import { workflowInvokes } from "../../compiler/workflows.ts";
import { formatDiagnostic, type Diagnostic } from "../../compiler/diagnostics.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../main.ts";
import { diffOutputs } from "../output-diff.ts";

interface BuildFlags {
  out?: string;
  check?: boolean;
  diagnostics?: string;
}

const EXIT_CODES = `
Exit codes:
  0  built (with --check: the committed outputs are up to date)
  1  compile errors, nothing is written (with --check: some output differs from a fresh build)
  2  usage errors`;

export function registerBuild(program: Command, setExit: (code: number) => void): void {
  program
    .command("build")
    .description("Compile durable handlers into state-machine.asl.json, fragments/index.mjs, source-map.json and template.yaml")
    .argument("<handler.ts...>", "TypeScript files that export durable handlers")
    .option("--out <dir>", "output folder; each handler gets <dir>/<handler-name>/", "durable2sfn.out")
    .option("--check", "write nothing; exit 1 and list the files when the outputs in --out differ from a fresh build")
    .option("--diagnostics <format>", "text (default, on stderr) or json: one array of {code, severity, file, line, column, message, hint} on stdout")
    .addHelpText("after", EXIT_CODES)
    .action(async (files: string[], flags: BuildFlags) => {
      const format = flags.diagnostics ?? "text";
      if (format !== "text" && format !== "json") throw new UsageError(`--diagnostics must be text or json, not "${format}"`);
      // With JSON diagnostics, stdout carries only the array; everything for people goes to stderr.
      const say = (line: string) => (format === "json" ? process.stderr : process.stdout).write(`${line}\n`);

      // Compile everything first: a single error anywhere means nothing is written.
      const results = files.map((file, i) => {
        if (files.length > 1) process.stderr.write(`compiling ${file} [${i + 1}/${files.length}]\n`);
        return { file, ...compileFile(file) };
      });
      const diagnostics = results.flatMap((r) => r.diagnostics);
      // Handlers of different files may invoke each other (each file checked its own already).
      if (files.length > 1) diagnostics.push(...workflowInvokes(results.flatMap((r) => r.handlers)).filter((d) => !diagnostics.some((e) => e.file === d.file && e.line === d.line && e.code === d.code)));
      reportDiagnostics(diagnostics, format);
      if (hasErrors(diagnostics)) {
        const count = diagnostics.filter((d) => d.severity === "error").length;
        process.stderr.write(`\nFound ${count} error${count === 1 ? "" : "s"}; nothing was written.\n`);
        return setExit(EXIT_FAILURE);
      }
      const targets = outputFolders(
        results.flatMap((r) => r.handlers),
        flags.out ?? "durable2sfn.out",
      );
      const ok = flags.check ? await check(targets, say) : await write(targets, say);
      setExit(ok ? EXIT_OK : EXIT_FAILURE);
    });
}

interface Target {
  handler: CompiledHandler;
  outDir: string;
}

/** `<out>/<handler-name>`, or `<out>/<file>-<handler-name>` when two files export the same name. */
function outputFolders(handlers: CompiledHandler[], out: string): Target[] {
  const names = new Set<string>();
  return handlers.map((handler) => {
    const dirName = names.has(handler.name) ? `${sourceLabel(handler.file)}-${handler.name}` : handler.name;
    names.add(dirName);
    return { handler, outDir: path.join(out, dirName) };
  });
}

async function write(targets: Target[], say: (line: string) => void): Promise<boolean> {
  for (const [i, { handler, outDir }] of targets.entries()) {
    await writeHandlerOutputs(handler, outDir);
    const states = Object.keys(handler.definition.States).length;
    say(`${progress(i, targets)}built ${path.relative(process.cwd(), handler.file)} (${handler.name}) -> ${outDir}/ (${states} states)`);
  }
  return true;
}

/** Builds into a scratch folder and compares, like a formatter's check mode; writes nothing under --out. */
async function check(targets: Target[], say: (line: string) => void): Promise<boolean> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "durable2sfn-check-"));
  let upToDate = true;
  try {
    for (const [i, { handler, outDir }] of targets.entries()) {
      const fresh = path.join(scratch, String(i));
      await writeHandlerOutputs(handler, fresh);
      const differences = diffOutputs(fresh, outDir);
      for (const d of differences) say(`${d.kind.padEnd(8)} ${path.join(outDir, d.file)}`);
      if (differences.length === 0) say(`${progress(i, targets)}up to date ${outDir}/`);
      upToDate &&= differences.length === 0;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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

/** What tells two handlers of the same name apart: the file's name, or its folder's for `handler.ts` / `index.ts`. */
function sourceLabel(file: string): string {
  const stem = path.basename(file, ".ts");
  return stem === "handler" || stem === "index" ? path.basename(path.dirname(file)) : stem;
}
