import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { closeOracle, verifyScenario } from "../harness/verify.ts";
import { loadScenarioFile } from "../runtime/emulator/scenario.ts";
import type { Trace } from "../harness/compare/trace.ts";

/**
 * Every scenario of every sample: the compiled machine on the emulator must give the same trace as
 * the handler under the SDK's LocalDurableTestRunner, and the SDK trace must show the behaviour the
 * scenario was written for (so a sample that silently stopped doing its job fails here too).
 */

const samplesDir = fileURLToPath(new URL("../samples/", import.meta.url));

type Check = (sdk: Trace) => void;

const result = (sdk: Trace) => sdk.result as Record<string, unknown>;
const names = (sdk: Trace) => sdk.operations.map((op) => op.name);
const op = (sdk: Trace, name: string, nth = 0) => sdk.operations.filter((o) => o.name === name)[nth];

const expectations: Record<string, Record<string, Check>> = {
  "order-saga": {
    "happy-path": (sdk) => {
      expect(sdk.status).toBe("SUCCEEDED");
      expect(result(sdk)).toMatchObject({ status: "completed", amountCents: 17800, trackingNumber: "UPS-res-ord-1001-3" });
      expect(names(sdk)).toEqual(["reserve-inventory", "charge-payment", "create-shipment", "send-confirmation"]);
    },
    "out-of-stock": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "out-of-stock" });
      expect(op(sdk, "reserve-inventory")).toMatchObject({ status: "FAILED", attempts: 3 });
      expect(sdk.operations).toHaveLength(1);
    },
    "charge-declined": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "payment-declined", message: "card declined for customer cus-13" });
      // not a gateway timeout: no retry (retryableErrors), then the reservation is released
      expect(op(sdk, "charge-payment")).toMatchObject({ status: "FAILED", attempts: 1 });
      expect(names(sdk)).toEqual(["reserve-inventory", "charge-payment", "release-inventory"]);
    },
    "charge-timeouts-exhausted": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "payment-declined" });
      expect(op(sdk, "charge-payment")).toMatchObject({ status: "FAILED", attempts: 4 });
      expect(op(sdk, "release-inventory")).toMatchObject({ status: "SUCCEEDED" });
    },
    "ship-fails": (sdk) => {
      expect(sdk.status).toBe("FAILED");
      expect(sdk.error).toEqual({ errorType: "StepError", errorMessage: "carrier rejected shipment to KP" });
      expect(op(sdk, "create-shipment")).toMatchObject({ status: "FAILED", attempts: 3 });
      expect(names(sdk).slice(-2)).toEqual(["refund-payment", "release-inventory"]);
    },
    "transient-faults": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "completed" });
      expect(sdk.operations.map((o) => o.attempts)).toEqual([2, 3, 2, 1]);
    },
  },
  approval: {
    approved: (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "approved", decidedBy: "lee@example.com", comment: "have fun", escalated: false });
    },
    rejected: (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "rejected", comment: "over budget", reminders: 0 });
    },
    "approver-error": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "error", comment: "approver mailbox is disabled" });
      expect(op(sdk, "approver-decision")).toMatchObject({ kind: "waitForCallback", status: "FAILED" });
    },
    "approved-after-reminder": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "approved", reminders: 1, escalated: false });
      expect(op(sdk, "approver-decision", 0)?.status).toBe("TIMED_OUT");
      expect(op(sdk, "reminder-pause")).toMatchObject({ waitSeconds: 7200 });
    },
    "manager-approves": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "approved", decidedBy: "kim@example.com", escalated: true, reminders: 1 });
      expect(sdk.operations.filter((o) => o.name === "approver-decision").map((o) => o.status)).toEqual(["TIMED_OUT", "TIMED_OUT"]);
    },
    "all-time-out": (sdk) => {
      expect(sdk.status).toBe("FAILED");
      expect(sdk.error?.errorType).toBe("CallbackTimeoutError");
      expect(op(sdk, "manager-decision")?.status).toBe("TIMED_OUT");
      expect(names(sdk).at(-1)).toBe("record-outcome");
    },
    "malformed-decision": (sdk) => {
      expect(sdk.status).toBe("FAILED");
      expect(sdk.error?.errorMessage).toMatch(/^malformed decision from lee@example.com/);
    },
  },
  "data-pipeline": {
    "clean-load": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "complete", loadedRows: 4500, compactionPolls: 0 });
      expect(sdk.operations.filter((o) => o.kind === "wait").map((o) => o.waitSeconds)).toEqual([4, 3, 8]);
    },
    "repair-and-quarantine": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "complete", skippedEmpty: 2, repairedRows: 80, droppedRows: 0, loadedRows: 6500, compactionPolls: 3 });
      expect(result(sdk).quarantined).toEqual(["s3://quarantine/raw-events/2024/06/02/part-0003.csv"]);
      // fall-through: the repaired batch is loaded
      const afterRepair = names(sdk)[names(sdk).indexOf("repair-batch") + 1];
      expect(afterRepair).toBe("load-batch");
    },
    halted: (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "halted", loadedRows: 1198, compactionPolls: 0 });
      expect(names(sdk).at(-1)).toBe("validate-batch");
    },
    "compaction-gives-up": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "complete", skippedEmpty: 2, compactionPolls: 5 });
      expect(sdk.operations.filter((o) => o.name === "compaction-backoff").map((o) => o.waitSeconds)).toEqual([30, 60, 120, 240, 480]);
    },
  },
  "fan-out": {
    "all-photos": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "published", galleryUrl: "https://gallery.example.com/alb-7?photos=3", charged: 28.16, rejected: [] });
      const map = op(sdk, "transcode-photos");
      expect(map?.children?.map((c) => c.name)).toEqual(["photo-p1", "photo-p2", "photo-p3"]);
      // only the large thumbnail waits for the CDN
      expect(map?.children?.map((c) => c.children?.map((o) => o.kind))).toEqual([["step"], ["step", "wait"], ["step"]]);
      expect(op(sdk, "follow-ups")?.children?.map((c) => c.name)).toEqual(["publish-gallery", "notify-owner", "charge-storage"]);
    },
    "one-corrupt": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "published-with-rejections", rejected: ["p2 is not a readable image"], notice: "sent to ben@example.com: 2 published, 1 rejected" });
      const items = op(sdk, "transcode-photos")?.children ?? [];
      expect(items.map((c) => c.status)).toEqual(["SUCCEEDED", "FAILED", "SUCCEEDED"]);
      // the busy transcoder is retried; the corrupt photo is not (retryableErrors)
      expect(items.map((c) => c.children?.[0]?.attempts)).toEqual([3, 1, 1]);
    },
    "empty-album": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "published", charged: 0, galleryUrl: "https://gallery.example.com/alb-9?photos=0" });
      expect(op(sdk, "transcode-photos")?.children ?? []).toEqual([]);
    },
  },
  "ai-agent": {
    "search-and-calculate": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "answered", iterations: 3, toolCalls: 2, failedToolCalls: 0 });
      expect(result(sdk).answer).toContain("373 * 2 = 746");
    },
    "flaky-fetch-recovered": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "answered", failedToolCalls: 0 });
      expect(op(sdk, "tool-fetch-page")).toMatchObject({ status: "SUCCEEDED", attempts: 3 });
    },
    "broken-page": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "answered", failedToolCalls: 2 });
      expect(sdk.operations.filter((o) => o.name === "tool-fetch-page").map((o) => o.status)).toEqual(["FAILED", "FAILED"]);
    },
    "iteration-budget": (sdk) => {
      expect(result(sdk)).toMatchObject({ status: "gave-up", iterations: 3, toolCalls: 3 });
      expect(names(sdk).at(-1)).toBe("summarize-partial");
    },
  },
};

// A fresh oracle per scenario by default: with one kept oracle (keepOracle: true) all scenarios
// pass but the test process sometimes never exits after the last test (seen 3 times in 7 runs),
// and it is no faster here (~30-40 s either way). D2S_KEEP_ORACLE=1 keeps one oracle.
afterAll(() => closeOracle());

for (const [sample, checks] of Object.entries(expectations)) {
  describe(`sample ${sample}`, () => {
    const handlerFile = join(samplesDir, sample, "handler.ts");
    const scenarioFiles = readdirSync(join(samplesDir, sample, "scenarios")).filter((f) => f.endsWith(".json")).sort();

    it("has an expectation for every scenario file", () => {
      expect(scenarioFiles.map((f) => f.replace(/\.json$/, "")).sort()).toEqual(Object.keys(checks).sort());
    });

    for (const file of scenarioFiles) {
      const check = checks[file.replace(/\.json$/, "")];
      it(`scenario ${file}: compiled machine matches the SDK`, async () => {
        const scenario = loadScenarioFile(join(samplesDir, sample, "scenarios", file));
        const v = await verifyScenario(handlerFile, scenario, { keepOracle: process.env.D2S_KEEP_ORACLE === "1" });
        expect(v.compiled).toEqual(v.sdk);
        expect(v.equal).toBe(true);
        check?.(v.sdk);
      });
    }
  });
}
