import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { formatDiagnostic, type Diagnostic } from "../../compiler/diagnostics.ts";
import type { AslDefinition } from "../../compiler/emit/asl.ts";
import type { CompiledHandler } from "../../compiler/types.ts";
import { packageFile } from "../../protocol/package-file.ts";

/** What the construct needs of one handler's build: the files `durable2sfn build` wrote, read back. */
export interface BuiltHandler {
  /** state-machine.asl.json: its placeholders (`${FragmentsFunctionArn}`) are left for the definition substitutions. */
  definition: AslDefinition;
  sourceMap: CompiledHandler["sourceMap"];
  /** The folder of the fragments bundle, for Code.fromAsset. */
  codeDir: string;
  /** The fragments function's handler and runtime, as the build's template.yaml gives them. */
  functionHandler: string;
  runtime: string;
}

/** One row of `build --diagnostics json`: a Diagnostic, `hint` null when it has none. */
type DiagnosticRow = Omit<Diagnostic, "hint"> & { hint: string | null };

/**
 * Compiles one handler synchronously, as CDK constructs must run: `durable2sfn build` of this
 * package in a child process (the compiler's API is asynchronous), into `outDir`, which is
 * emptied first so that it holds this handler's folder only. Compile errors throw one Error
 * listing every diagnostic (`file:line:col - error D2Sxxxx: message`); warnings are returned.
 */
export function buildHandler(entry: string, handler: string, outDir: string): { built: BuiltHandler; warnings: string[] } {
  if (!existsSync(entry)) throw new Error(`DurableStateMachine: entry ${entry} does not exist`);
  rmSync(outDir, { recursive: true, force: true });
  const args = [packageFile("cli/bin.mjs"), "build", entry, "--handler", handler, "--out", outDir, "--diagnostics", "json"];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string };
    const rows = diagnosticRows(failed.stdout ?? "");
    const errors = rows.filter((d) => d.severity === "error");
    // Without error diagnostics the build failed otherwise (usage, bundling): its one line says why.
    const why = errors.length > 0 ? errors.map(formatRow).join("\n") : (failed.stderr ?? "").trim() || String(err);
    throw new Error(`DurableStateMachine: cannot compile ${entry} (${handler}):\n${why}`);
  }
  const warnings = diagnosticRows(stdout).map(formatRow);
  return { built: readBuild(outDir), warnings };
}

function diagnosticRows(stdout: string): DiagnosticRow[] {
  try {
    const rows = JSON.parse(stdout) as unknown;
    return Array.isArray(rows) ? (rows as DiagnosticRow[]) : [];
  } catch {
    return [];
  }
}

/** As `build` prints it: `file:line:col - error D2Sxxxx: message`, and the hint below. */
function formatRow({ hint, ...d }: DiagnosticRow): string {
  return formatDiagnostic({ ...d, hint: hint ?? undefined });
}

/** The one handler folder build wrote into `outDir`, read back (its template.yaml says where the bundle is and how it runs). */
function readBuild(outDir: string): BuiltHandler {
  const [folder] = readdirNames(outDir);
  const dir = path.join(outDir, folder!);
  const template = parse(readFileSync(path.join(dir, "template.yaml"), "utf8")) as SamTemplate;
  const fn = template.Resources.FragmentsFunction.Properties;
  return {
    definition: JSON.parse(readFileSync(path.join(dir, template.Resources.StateMachine.Properties.DefinitionUri), "utf8")) as AslDefinition,
    sourceMap: JSON.parse(readFileSync(path.join(dir, "source-map.json"), "utf8")) as CompiledHandler["sourceMap"],
    codeDir: path.join(dir, fn.CodeUri),
    functionHandler: fn.Handler,
    runtime: fn.Runtime,
  };
}

/** The fields of template.yaml (compiler/emit/template.ts) read here. */
interface SamTemplate {
  Resources: {
    StateMachine: { Properties: { DefinitionUri: string } };
    FragmentsFunction: { Properties: { CodeUri: string; Handler: string; Runtime: string } };
  };
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}
