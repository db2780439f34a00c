import { describe, expect, it } from "vitest";
import { run } from "../../api/run.ts";

/**
 * Callback timeouts only the run knows that a Task cannot take (a fraction of a second): the code
 * before the Task fails with one clear error (README, waitForCallback), caught by the handler like
 * any error of its code. A heartbeat not shorter than the timeout is dropped: under the SDK the
 * timeout's timer is set first, so such a heartbeat never fires first, and the callback is answered.
 */
const fixture = "test/fixtures/compiler/runtime-opts-timeouts.ts";

describe("run-time callback timeouts a Task cannot take", () => {
  it("fail in the code before the callback, where the handler's catch sees them; a heartbeat not shorter than the timeout is dropped", async () => {
    const { report } = await run(fixture, {
      event: { fast: true, seconds: 2.5, beat: 60 },
      callbacks: { first: [{ success: '"one"' }], second: [{ success: '"two"' }], third: [{ success: '"three"' }] },
    }, { cache: false });
    expect(report.status).toBe("SUCCEEDED");
    expect(report.result).toEqual({
      first: '"one"',
      second: "RangeError: the callback's timeout must be a whole number of seconds from 1 to 99999999 to run on Step Functions, not 2.5",
      third: '"three"',
    });
  });
});
