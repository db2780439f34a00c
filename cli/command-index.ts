import type { Command } from "commander";

type Register = (program: Command, setExit: (code: number) => void) => void;

interface CommandEntry {
  /** What `durable2sfn --help` lists; test/pipeline/startup.test.ts checks it against the command itself. */
  term: string;
  summary: string;
  /** The command's module, imported only when that command runs (or its own --help is asked for). */
  load: () => Promise<Register>;
}

/**
 * Every command, by name. Loading a command loads what it needs (TypeScript and ts-morph for the
 * compiler, the AWS SDK for deploy, the SDK's test runner for verify); the list itself loads
 * nothing, so `--help`, `--version` and every command start without the others' dependencies.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  build: {
    term: "build [options] <handler.ts...>",
    summary: "Compile durable handlers into state-machine.asl.json, fragments/index.mjs, source-map.json and template.yaml",
    load: async () => (await import("./commands/build.ts")).registerBuild,
  },
  run: {
    term: "run [options] <file>",
    summary: "Run a state machine (.asl.json) on the local emulator, or a durable handler (.ts) compiled on the fly",
    load: async () => (await import("./commands/run.ts")).registerRun,
  },
  verify: {
    term: "verify [options] <handler.ts>",
    summary: "Run a handler under the official SDK and compiled on the emulator, and compare the two",
    load: async () => (await import("./commands/verify.ts")).registerVerify,
  },
  cost: {
    term: "cost [options] <handler.ts>",
    summary: "Per scenario: state transitions, Lambda invocations and the price per 1 million executions on Step Functions Standard and Express, beside the handler as a Lambda durable function",
    load: async () => (await import("./commands/cost.ts")).registerCost,
  },
  graph: {
    term: "graph [options] <file>",
    summary: "Draw a state machine as Mermaid (renders on GitHub) or SVG, with each state's source line",
    load: async () => (await import("./commands/graph.ts")).registerGraph,
  },
  validate: {
    term: "validate [options] <file>",
    summary: "Validate a state machine: asl-validator plus durable2sfn's own checks, and with --remote the ValidateStateMachineDefinition API",
    load: async () => (await import("./commands/validate.ts")).registerValidate,
  },
  serve: {
    term: "serve [options]",
    summary: "Serve the Step Functions API (and the Lambda calls deploy makes) locally, in front of the emulator",
    load: async () => (await import("./commands/serve.ts")).registerServe,
  },
  callback: {
    term: "callback [options] <action> <token>",
    summary: "Answer a waiting callback (a .waitForTaskToken task) on serve or AWS: SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat",
    load: async () => (await import("./commands/callback.ts")).registerCallback,
  },
  executions: {
    term: "executions [options] <action> [execution-arn]",
    summary: "List executions, show one's history, or stop one, on serve or AWS",
    load: async () => (await import("./commands/executions.ts")).registerExecutions,
  },
  deploy: {
    term: "deploy [options] <handler.ts>",
    summary: "Create or update the state machine and the fragments function of a handler (idempotent)",
    load: async () => (await import("./commands/deploy.ts")).registerDeploy,
  },
};

/** The command argv names: the first word after the options, or the one after `help`. */
export function requestedCommand(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}
