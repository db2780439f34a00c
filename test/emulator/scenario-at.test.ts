import { describe, expect, it } from "vitest";
import { parseScenario } from "../../runtime/emulator/scenario.ts";

/** A scenario answer may come at the await (`at: "await"`) instead of as soon as the callback exists. */
describe("scenario answers with at", () => {
  it("takes at: await on a success or failure answer, as given", () => {
    const callbacks = { approval: [{ success: '"yes"', at: "await" }, { failure: { errorType: "No", errorMessage: "no" }, at: "await" }] };
    expect(parseScenario({ event: {}, callbacks }).callbacks).toEqual(callbacks);
  });

  it.each([
    [{ timeout: true, at: "await" }],
    [{ success: '"yes"', at: "now" }],
  ])("refuses %j, naming the field", (answer) => {
    expect(() => parseScenario({ callbacks: { approval: [answer] } }, "s.json")).toThrow('s.json: callbacks.approval[0]: "at" may only be "await", on a success or failure answer');
  });
});
