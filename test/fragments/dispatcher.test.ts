import * as sdk from "@aws/durable-execution-sdk-js";
import { describe, expect, it } from "vitest";
import { ReplyField, STEP_ERROR, type ErrorRecord } from "../../protocol/index.ts";
import { createDispatcher, type Fragment } from "../../runtime/fragments/dispatcher.ts";

/** The record a Catch stores for a failed fragment Task: Step Functions' Error and Cause of a Lambda function error. */
function recordOf(error: Error): ErrorRecord {
  const trace = (error.stack ?? "").split("\n").slice(1).map((l) => l.trim());
  return { kind: "code", Error: error.name, Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace }) };
}

function dispatcher(fragments: Record<string, Fragment>) {
  return createDispatcher(fragments, sdk as never);
}

describe("values the handler's code throws", () => {
  it("reach the catch block as thrown, through a fragment's own catch (threw)", async () => {
    const thrown = { code: 409, tables: ["orders"] };
    const run = dispatcher({
      f: async (_v, $d) => {
        try {
          throw thrown;
        } catch (e) {
          return $d.threw(e, {});
        }
      },
      g: async (v, $d) => $d.done({ back: $d.caught(v.record) }),
    });
    const answer = (await run({ fragment: "f" })) as Record<string, ErrorRecord>;
    const record = answer[ReplyField.thrown]!;
    expect([record.Error, JSON.parse(record.Cause!).errorMessage]).toEqual(["Error", "Unknown error"]);
    const caught = (await run({ fragment: "g", vars: { record } })) as { vars: { back: unknown } };
    expect(caught.vars.back).toEqual(thrown);
  });

  it("reach the catch block as thrown through a failed Task's Catch, named as the SDK reports them", async () => {
    const run = dispatcher({
      f: async () => {
        throw "just a string";
      },
      g: async (v, $d) => $d.done({ back: $d.caught(v.record) }),
    });
    const failure = (await run({ fragment: "f" }).catch((e: Error) => e)) as Error;
    expect([failure.name, failure.message]).toEqual(["Error", "Unknown error"]);
    const caught = (await run({ fragment: "g", vars: { record: recordOf(failure) } })) as { vars: { back: unknown } };
    expect(caught.vars.back).toBe("just a string");
  });

  it("a value that cannot be carried fails the fragment, not the handler's catch block", async () => {
    const run = dispatcher({
      f: async (_v, $d) => {
        try {
          return $d.done({ later: () => 1 });
        } catch (e) {
          return $d.threw(e, {});
        }
      },
    });
    await expect(run({ fragment: "f" })).rejects.toThrow("durable2sfn: cannot carry later (a function (later)) across a durable operation");
  });
});

describe("step bodies that throw a non-Error", () => {
  it("hand the retry strategy an Error 'Unknown Error' and fail with the SDK's StepError message", async () => {
    const seen: string[] = [];
    const run = dispatcher({
      f: async (_v, $d) =>
        $d.done({}, {
          result: await $d.step(
            async () => {
              throw { code: 7 };
            },
            { retryStrategy: (error) => (seen.push(`${error.constructor.name}: ${error.message}`), { shouldRetry: false }) },
          ),
        }),
    });
    const failure = (await run({ fragment: "f" }).catch((e: Error) => e)) as Error;
    expect(seen).toEqual(["Error: Unknown Error"]);
    expect([failure.name, failure.message]).toEqual([STEP_ERROR, "Unknown error"]);
  });
});
