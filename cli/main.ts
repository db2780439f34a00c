import { Command, CommanderError } from "commander";
import { CompileError, formatDiagnostic } from "../compiler/index.ts";
import { ScenarioError } from "../runtime/emulator/index.ts";
import { registerBuild } from "./commands/build.ts";
import { registerRun } from "./commands/run.ts";
import { registerVerify } from "./commands/verify.ts";
import { registerCost } from "./commands/cost.ts";
import { registerGraph } from "./commands/graph.ts";
import { registerValidate } from "./commands/validate.ts";
import { registerServe } from "./commands/serve.ts";
import { registerDeploy } from "./commands/deploy.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./exit.ts";

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("durable2sfn")
    .description("Compile AWS Lambda durable functions into AWS Step Functions (JSONata ASL), and run them locally.")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exitCode = EXIT_OK;
  const setExit = (code: number) => {
    exitCode = code;
  };
  registerBuild(program, setExit);
  registerRun(program, setExit);
  registerVerify(program, setExit);
  registerCost(program, setExit);
  registerGraph(program, setExit);
  registerValidate(program, setExit);
  registerServe(program, setExit);
  registerDeploy(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof CompileError) {
      process.stderr.write(`${formatDiagnostic(err.diagnostic)}\n`);
      return EXIT_FAILURE;
    }
    if (err instanceof UsageError || err instanceof ScenarioError) {
      process.stderr.write(`durable2sfn: ${err.message}\n`);
      return EXIT_USAGE;
    }
    return internalError(err);
  }
  return exitCode;
}

/**
 * The last safety net: an error no command expected is a bug of durable2sfn. One line says so;
 * the stack, which helps to fix it but not to use the tool, only with DURABLE2SFN_DEBUG=1.
 */
function internalError(err: unknown): number {
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  process.stderr.write(`durable2sfn: internal error: ${message}\n`);
  process.stderr.write("Please report it, with the command and its input (DURABLE2SFN_DEBUG=1 adds the stack).\n");
  if (process.env.DURABLE2SFN_DEBUG === "1" && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT_FAILURE;
}
