import type { Scenario } from "../runtime/emulator/scenario.ts";
import type { Verification } from "../harness/index.ts";
import { SetupError } from "./errors.ts";

const TESTING = "@aws/durable-execution-sdk-js-testing";

/**
 * Runs a handler under the SDK's LocalDurableTestRunner and compiled on the emulator, and
 * compares the two (`durable2sfn verify`). Needs the SDK's testing package in the user's project,
 * loaded only here: without it, a SetupError says how to add it. A scenario the SDK itself
 * cannot run throws the harness's SdkRunnerError.
 */
export interface VerifyOptions {
  /** The durable handler (export name) to verify, when the file has several; the SDK runs the same export. */
  handler?: string;
  /** false: compare the plain mapping (compiler/optimize/ skipped). */
  optimize?: boolean;
}

export async function verify(file: string, scenario: Scenario, options: VerifyOptions = {}): Promise<Verification> {
  const harness = await loadHarness();
  try {
    return await harness.verifyScenario(file, scenario, { handler: options.handler, optimize: options.optimize });
  } finally {
    await harness.closeOracle();
  }
}

async function loadHarness(): Promise<typeof import("../harness/index.ts")> {
  try {
    return await import("../harness/index.ts");
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && (err as Error).message.includes(`'${TESTING}'`);
    if (!missing) throw err;
    throw new SetupError(`verify runs the handler under the SDK's test runner, ${TESTING}, which is not installed: add it with \`npm install --save-dev ${TESTING}\``);
  }
}
