import { describe, expect, it } from "vitest";
import { runServeLoad } from "../../bench/serve-load.ts";
import { useLocalServer } from "./aws.ts";

const local = useLocalServer();

describe("serve under a bounded load", () => {
  // The smaller sibling of the `npm run bench` serve section (200 executions over 20 s).
  it("40 executions with a Lambda task and a callback each, started over 4 s: none lost, none stuck, no call failed", async () => {
    const figures = await runServeLoad({ url: local.server.url, executions: 40, seconds: 4 });
    expect(figures).toMatchObject({ executions: 40, failures: 0, lost: 0, stuck: 0 });
    // every execution made at least its start, one history read, the answer and one describe
    expect(figures.requests).toBeGreaterThanOrEqual(40 * 4);
  }, 60_000);
});
