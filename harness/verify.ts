import { chooseHandler, CompileError, compileFile, hasErrors, type CompiledHandler, type CompileResult, type Diagnostic } from "../compiler/index.ts";
import { CallbackAnswers, type Scenario } from "../runtime/emulator/index.ts";
import { compareTraces, formatDiff, type Difference, type Trace } from "./compare/index.ts";
import { closeOracle, runOnSdk } from "./oracle/index.ts";
import { localBundle } from "./load-fragments.ts";
import { runCompiled } from "./run.ts";
import { withScenarioEnvironment } from "./scenario-environment.ts";
import { loadScenarioFunctions } from "./scenario-functions.ts";

export interface Verification {
  equal: boolean;
  sdk: Trace;
  compiled: Trace;
  differences: Difference[];
  /** A side-by-side diff for people, empty when equal. */
  diff: string;
  /** Compiler warnings (e.g. non-determinism outside steps, a common cause of divergence). */
  warnings: Diagnostic[];
  /** Callback names of the scenario that neither run asked for. */
  unusedCallbacks: string[];
}

/**
 * Step Functions has no `undefined`: a handler that returns nothing gives the output null. Both
 * sides are compared with an absent result, so this one known difference of form is not a divergence.
 */
function normalized(trace: Trace): Trace {
  const copy = structuredClone(trace);
  if (copy.result === null) delete copy.result;
  return copy;
}

export interface VerifyOptions {
  keepOracle?: boolean;
  handler?: string;
  optimize?: boolean;
  /**
   * The file's compileFile result, when the caller verifies several scenarios of one file (the
   * equivalence tests): the file is then neither compiled nor its fragments bundled again for each.
   */
  compiled?: CompileResult;
}

/** One local bundle per handler of a shared compile result (fresh modules are still loaded from it per run). */
const bundles = new WeakMap<CompiledHandler, Promise<string>>();

function bundleOf(handler: CompiledHandler): Promise<string> {
  let bundle = bundles.get(handler);
  if (!bundle) bundles.set(handler, (bundle = localBundle(handler)));
  return bundle;
}

/**
 * Runs one scenario under the SDK and on the compiled machine and compares the traces. `handler`
 * names the export when the file has several (chooseHandler); the SDK runs that same export.
 * `optimize: false` compares the plain mapping.
 */
export async function verifyScenario(file: string, scenario: Scenario, options: VerifyOptions = {}): Promise<Verification> {
  const compiledResult = options.compiled ?? compileFile(file, { optimize: options.optimize });
  if (hasErrors(compiledResult.diagnostics)) throw new CompileError(compiledResult.diagnostics.find((d) => d.severity === "error")!);
  const shared = chooseHandler(compiledResult.handlers, file, options.handler);
  // A shared compile result is reused as it was compiled: each run gets its own copy of the handler.
  const handler = options.compiled ? structuredClone(shared) : shared;
  const bundle = options.compiled ? await bundleOf(shared) : undefined;
  const { trace: compiledTrace, unusedCallbacks: unusedByCompiled } = await runCompiled(handler, scenario, bundle);
  const functions = await loadScenarioFunctions(scenario, file);
  const prepareRunner = (runner: { registerFunction(name: string, fn: (event: unknown) => Promise<unknown>): unknown }) => {
    for (const [name, fn] of functions) runner.registerFunction(name, fn);
  };
  const sdkAnswers = new CallbackAnswers(scenario.callbacks);
  const sdkTrace = await withScenarioEnvironment(scenario, () => runOnSdk(file, scenario, { exportName: handler.name, keepEnvironment: options.keepOracle, prepareRunner: prepareRunner as never, answers: sdkAnswers }));
  const sdk = normalized(sdkTrace);
  const unusedCallbacks = sdkAnswers.unused().filter((name) => unusedByCompiled.includes(name));
  const compiled = normalized(compiledTrace);
  const { equal, differences } = compareTraces(sdk, compiled);
  const warnings = compiledResult.diagnostics.filter((d) => d.severity === "warning");
  return { equal, sdk, compiled, differences, diff: equal ? "" : formatDiff(sdk, compiled, differences), warnings, unusedCallbacks };
}

export { closeOracle };
