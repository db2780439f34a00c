import path from "node:path";
import { ValidateStateMachineDefinitionCommand } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import { CompileError, compileFile, hasErrors } from "../../compiler/index.ts";
import { definitionProblems, type DefinitionProblem } from "../../runtime/emulator/index.ts";
import { describeAwsError, endpointFor, sfnClient, unreachableCode, type AwsFlags } from "../aws-clients.ts";
import { isHandlerFile } from "../pick-handler.ts";
import { EXIT_FAILURE, EXIT_OK } from "../exit.ts";
import { readStateMachineFile } from "../read-json.ts";

interface ValidateFlags extends AwsFlags {
  remote?: boolean;
  json?: boolean;
}

interface Target {
  /** What is validated: the file, and the handler when it was compiled from TypeScript. */
  label: string;
  definition: object;
}

interface RemoteResult {
  result: string;
  diagnostics: Array<{ severity?: string; code?: string; message?: string; location?: string }>;
}

interface Report {
  target: string;
  ok: boolean;
  problems: DefinitionProblem[];
  remote?: RemoteResult;
}

export function registerValidate(program: Command, setExit: (code: number) => void): void {
  program
    .command("validate")
    .description("Validate a state machine: asl-validator plus durable2sfn's own checks, and with --remote the ValidateStateMachineDefinition API")
    .argument("<file>", "a state machine (.asl.json) or a durable handler (.ts), compiled first")
    .option("--remote", "also ask Step Functions (ValidateStateMachineDefinition)")
    .option("--endpoint-url <url>", "Step Functions endpoint for --remote (default: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, then AWS)")
    .option("--region <region>", "AWS region for --remote")
    .option("--json", "print one JSON array: {target, ok, problems, remote?} per state machine")
    .addHelpText("after", "\nExit codes: 0 valid; 1 invalid (or the remote call failed); 2 usage errors.")
    .action(async (file: string, flags: ValidateFlags) => {
      const reports: Report[] = [];
      for (const target of targetsOf(file)) {
        const problems = definitionProblems(target.definition);
        const report: Report = { target: target.label, ok: problems.length === 0, problems };
        if (flags.remote) {
          const remote = await validateRemotely(target.definition, flags);
          if (remote === UNREACHABLE) return setExit(EXIT_FAILURE);
          report.remote = remote;
          report.ok &&= remote.result === "OK";
        }
        reports.push(report);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(describe).join(""));
      setExit(reports.every((r) => r.ok) ? EXIT_OK : EXIT_FAILURE);
    });
}

function targetsOf(file: string): Target[] {
  if (isHandlerFile(file)) {
    const compiled = compileFile(file);
    if (hasErrors(compiled.diagnostics)) throw new CompileError(compiled.diagnostics.find((d) => d.severity === "error")!);
    return compiled.handlers.map((h) => ({ label: `${file} (${h.name})`, definition: h.definition }));
  }
  return [{ label: file, definition: readStateMachineFile(file) }];
}

/** Returned when no server answered: said in one line on stderr, since no report can follow. */
const UNREACHABLE = Symbol("unreachable");

async function validateRemotely(definition: object, flags: ValidateFlags): Promise<RemoteResult | typeof UNREACHABLE> {
  const client = sfnClient(flags);
  try {
    const out = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(definition), type: "STANDARD" }));
    return { result: out.result ?? "FAIL", diagnostics: out.diagnostics ?? [] };
  } catch (err) {
    const message = describeAwsError(err, endpointFor("SFN", flags));
    if (unreachableCode(err)) {
      process.stderr.write(`durable2sfn validate --remote: ${message}\n`);
      return UNREACHABLE;
    }
    return { result: "ERROR", diagnostics: [{ severity: "ERROR", code: "REQUEST_FAILED", message }] };
  } finally {
    client.destroy();
  }
}

function describe(report: Report): string {
  const lines = [`${report.ok ? "valid" : "invalid"}: ${path.normalize(report.target)}`];
  for (const p of report.problems) lines.push(`  ${p.path}: ${p.message}`);
  if (report.remote) {
    lines.push(`  remote (ValidateStateMachineDefinition): ${report.remote.result}`);
    for (const d of report.remote.diagnostics) lines.push(`    ${d.severity ?? ""} ${d.code ?? ""}${d.location ? ` at ${d.location}` : ""}: ${d.message ?? ""}`);
  }
  return `${lines.join("\n")}\n`;
}
