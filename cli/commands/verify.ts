import type { Command } from "commander";
import { formatDiagnostic, OracleError, verify } from "../../api/index.ts";
import { unusedCallbackWarning } from "../../runtime/emulator/index.ts";
import { EXIT_FAILURE, EXIT_OK } from "../exit.ts";
import { handlerName } from "../pick-handler.ts";
import { readScenarioFile } from "../read-json.ts";

export function registerVerify(program: Command, setExit: (code: number) => void): void {
  program
    .command("verify")
    .description("Run a handler under the official SDK and compiled on the emulator, and compare the two")
    .argument("<handler.ts>", "a TypeScript or JavaScript file that exports a durable handler")
    .requiredOption("--scenario <file>", "a scenario file: input event and callback answers")
    .option("--handler <export>", "which durable handler of the file, when it exports several (the SDK runs the same export)")
    .option("--json", "print one JSON object: {equal, sdk, compiled}")
    .option("--no-optimize", "the plain mapping, every state the transform made, unfolded (for debugging)")
    .addHelpText("after", "\nExit codes: 0 equivalent; 1 divergent or compile errors; 2 usage errors.")
    .action(async (file: string, flags: { scenario: string; handler?: string; json?: boolean; optimize: boolean }) => {
      const scenario = readScenarioFile(flags.scenario);
      const verification = await verify(file, scenario, { handler: handlerName(flags.handler, [scenario]), optimize: flags.optimize }).catch((err: unknown) => {
        // Nothing to compare: the SDK has no outcome for this input (SdkRunnerError: a failure found,
        // not a bug of ours), or the module does not load or run under it (OracleError).
        if (!(err instanceof OracleError)) throw err;
        process.stderr.write(`durable2sfn: ${file}: ${err.message.split("\n")[0]}\n`);
        return undefined;
      });
      if (!verification) return setExit(EXIT_FAILURE);
      for (const w of verification.warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
      for (const name of verification.unusedCallbacks) process.stderr.write(`${unusedCallbackWarning(name)}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify(verification)}\n`);
      else if (verification.equal) process.stdout.write("equivalent: the compiled machine and the SDK agree\n");
      else process.stdout.write(`divergent: the compiled machine differs from the SDK\n\n${verification.diff}\n`);
      setExit(verification.equal ? EXIT_OK : EXIT_FAILURE);
    });
}
