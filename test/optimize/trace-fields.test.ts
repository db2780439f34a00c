import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MEANINGFUL } from "../../compiler/optimize/graph.ts";

describe("the optimizer keeps what the trace reader reads", () => {
  it("never removes a state whose source-map field harness/trace-from-history.ts acts on", () => {
    // A folded state loses its source-map entry; a field the trace reader reads must keep its state
    // (a createCallback marker folded away once turned a TIMED_OUT callback into STARTED).
    const reader = readFileSync(path.join(import.meta.dirname, "../../harness/trace-from-history.ts"), "utf8");
    const read = new Set([...reader.matchAll(/entry\??\.([a-zA-Z]+)/g)].map((m) => m[1]!));
    // `context` is read only beside `operation` (the context an operation runs in), which keeps its state.
    read.delete("context");
    expect([...read].filter((field) => !(MEANINGFUL as string[]).includes(field))).toEqual([]);
  });
});
