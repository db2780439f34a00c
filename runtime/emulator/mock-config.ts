import { ErrorNames, StatesError } from "./errors.ts";
import type { MockConfig, MockSelection, MockedResponse } from "./types.ts";

/** A mock configuration that does not fit the definition or the chosen test case. */
export class MockConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MockConfigError";
  }
}

/**
 * Mocked service integrations of Step Functions Local (AWS docs, "Configuration file for mocked
 * service integrations"): a test case maps state names to mocked responses; a mocked response maps
 * attempt indexes ("0", or a range such as "1-2") to `{Return: ...}` or `{Throw: {Error, Cause}}`.
 * The index counts the calls of that state in this execution, from 0, retries included.
 */
export class MockResponder {
  private readonly responsesByState = new Map<string, Array<{ from: number; to: number; response: MockedResponse }>>();
  private readonly calls = new Map<string, number>();

  constructor(selection: MockSelection) {
    const { config, testCase } = selection;
    const machineName = selection.stateMachineName ?? soleMachineWith(config, testCase);
    const cases = config.StateMachines?.[machineName]?.TestCases;
    if (!cases) throw new MockConfigError(`mock config: no state machine "${machineName}" under StateMachines`);
    const mockedStates = cases[testCase];
    if (!mockedStates) throw new MockConfigError(`mock config: state machine "${machineName}" has no test case "${testCase}"`);
    for (const [stateName, responseName] of Object.entries(mockedStates)) {
      const attempts = config.MockedResponses?.[responseName];
      if (!attempts) throw new MockConfigError(`mock config: MockedResponses has no "${responseName}" (used by ${stateName})`);
      this.responsesByState.set(stateName, parseAttempts(responseName, attempts));
    }
  }

  mocks(stateName: string): boolean {
    return this.responsesByState.has(stateName);
  }

  /** The response for the next call of `stateName`. */
  next(stateName: string): MockedResponse {
    const index = this.calls.get(stateName) ?? 0;
    this.calls.set(stateName, index + 1);
    const found = this.responsesByState.get(stateName)?.find((r) => index >= r.from && index <= r.to);
    if (!found) {
      throw new StatesError(ErrorNames.Runtime, `The mock configuration has no response for call ${index} of state '${stateName}'`);
    }
    return found.response;
  }
}

function soleMachineWith(config: MockConfig, testCase: string): string {
  const names = Object.entries(config.StateMachines ?? {})
    .filter(([, machine]) => machine.TestCases?.[testCase] !== undefined)
    .map(([name]) => name);
  if (names.length === 1) return names[0]!;
  throw new MockConfigError(
    names.length === 0
      ? `mock config: no state machine has a test case "${testCase}"`
      : `mock config: test case "${testCase}" exists for ${names.join(", ")}; name the state machine`,
  );
}

function parseAttempts(responseName: string, attempts: Record<string, MockedResponse>) {
  return Object.entries(attempts).map(([key, response]) => {
    const match = /^(\d+)(?:-(\d+))?$/.exec(key);
    if (!match) throw new MockConfigError(`mock config: MockedResponses.${responseName}: "${key}" is not an attempt index or range`);
    const isReturn = response && typeof response === "object" && "Return" in response;
    const isThrow = response && typeof response === "object" && "Throw" in response;
    if (isReturn === isThrow) {
      throw new MockConfigError(`mock config: MockedResponses.${responseName}.${key} must have exactly one of Return or Throw`);
    }
    const from = Number(match[1]);
    return { from, to: match[2] === undefined ? from : Number(match[2]), response };
  });
}
