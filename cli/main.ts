import module from "node:module";
import { Command, CommanderError, Help } from "commander";
import { CompileError, formatDiagnostic, HandlerChoiceError, ScenarioError, SetupError, version } from "../api/index.ts";
import { COMMANDS, requestedCommand } from "./command-index.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./exit.ts";

export async function main(argv: string[]): Promise<number> {
  // Node 22.1+ keeps V8's compiled code of the modules loaded after this (TypeScript's 9 MB among
  // them) on disk, as tsc itself does; Node 20 has no such cache and skips this.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const program = new Command()
    .name("durable2sfn")
    .description("Compile AWS Lambda durable functions into AWS Step Functions (JSONata ASL), and run them locally.")
    .version(version, "-V, --version", "print the version of durable2sfn")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .configureHelp({ subcommandTerm: (cmd) => COMMANDS[cmd.name()]?.term ?? new Help().subcommandTerm(cmd) });
  let exitCode = EXIT_OK;
  const setExit = (code: number) => {
    exitCode = code;
  };
  // Only the command asked for is loaded; the others are listed for --help by name and summary.
  const wanted = requestedCommand(argv.slice(2));
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (name === wanted) (await entry.load())(program, setExit);
    else program.command(name).description(entry.summary);
  }
  // The files the running command was given, for the line that reports an internal error.
  let operands: string[] = [];
  program.hook("preAction", (_program, command) => {
    operands = command.args;
  });
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
    if (err instanceof UsageError || err instanceof ScenarioError || err instanceof HandlerChoiceError || err instanceof SetupError) {
      process.stderr.write(`durable2sfn: ${err.message}\n`);
      return EXIT_USAGE;
    }
    return internalError(err, operands);
  }
  return exitCode;
}

/**
 * The last safety net: an error no command expected is a bug of durable2sfn. One line says so,
 * naming the files the command was working on; the stack, which helps to fix it but not to use
 * the tool, only with DURABLE2SFN_DEBUG=1.
 */
function internalError(err: unknown, files: string[]): number {
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err).split("\n")[0];
  const where = files.length > 0 ? `${files.join(", ")}: ` : "";
  process.stderr.write(`durable2sfn: ${where}internal error (a bug of durable2sfn; please report it with the command and its input, DURABLE2SFN_DEBUG=1 adds the stack): ${message}\n`);
  if (process.env.DURABLE2SFN_DEBUG === "1" && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT_FAILURE;
}
