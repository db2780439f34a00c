/**
 * The programmatic API of durable2sfn (`import { compile, run, verify } from "durable2sfn"`),
 * which the CLI uses too. Importing it loads almost nothing: each function loads what it needs
 * (TypeScript for compile, the emulator for run, the SDK's test runner for verify) at its first call.
 */
export { compile, type Compilation, type CompiledOutput, type CompileOptions } from "./compile.ts";
export { run, runCompiledHandler, type HandlerRun, type RunOptions } from "./run.ts";
export { substituteEnvironment } from "../harness/scenario-environment.ts";
export { verify, type VerifyOptions } from "./verify.ts";
export { BundleError, SetupError } from "./errors.ts";
export { version } from "./version.ts";
export { CompileError, formatDiagnostic, type Diagnostic } from "../compiler/diagnostics.ts";
export { HandlerChoiceError } from "../compiler/choose-handler.ts";
export { ScenarioError, type RunReport, type Scenario } from "../runtime/emulator/scenario.ts";
export type { CompiledHandler } from "../compiler/types.ts";
export type { Verification } from "../harness/verify.ts";
export { OracleError, SdkRunnerError } from "../harness/oracle/errors.ts";
