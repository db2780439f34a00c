import path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../api/run.ts";

const handler = path.join(import.meta.dirname, "../fixtures/carried/oversized.ts");

describe("the 256 KiB limits apply to the encoded locals", () => {
  it("an encoded local under the limit crosses the wait", async () => {
    const { report } = await run(handler, { event: { entries: 100 } }, { cache: false });
    expect(report).toMatchObject({ status: "SUCCEEDED", result: 100 });
  });

  it("an encoded local over the limit fails the execution with States.DataLimitExceeded", async () => {
    const { report } = await run(handler, { event: { entries: 4000 } }, { cache: false });
    expect(report.status).toBe("FAILED");
    expect(report.error?.errorType).toBe("States.DataLimitExceeded");
  });
});
