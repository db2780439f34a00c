import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TABLE, messages, type DiagnosticCode } from "../../compiler/diagnostics.ts";

/**
 * The diagnostics table (compiler/diagnostics/table.ts) is the one list of codes: a new code
 * cannot land without its row in README's diagnostics table and a test or fixture that triggers it.
 */
const root = path.join(import.meta.dirname, "../..");
const codes = Object.keys(TABLE) as DiagnosticCode[];

/** `| D2S2001 | meaning |` rows of README's diagnostics table. */
function readmeRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(path.join(root, "README.md"), "utf8").split("\n")) {
    const row = /^\| (D2S\d{4}) \| (.*) \|$/.exec(line);
    if (row) rows.set(row[1], row[2]);
  }
  return rows;
}

/** Test files (not this one) and the bad fixtures, whose `// expect D2Sxxxx` marks are checked by diagnostics.test.ts. */
function triggeringSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".test.ts") && file !== import.meta.filename) out.push(readFileSync(file, "utf8"));
    }
  };
  walk(path.join(root, "test"));
  const bad = path.join(root, "test/fixtures/bad");
  for (const f of readdirSync(bad).filter((f) => f.endsWith(".ts"))) out.push(readFileSync(path.join(bad, f), "utf8"));
  return out;
}

describe("the diagnostics table", () => {
  it("has the same codes as README's diagnostics table, each with the README's meaning", () => {
    const rows = readmeRows();
    expect(rows.size).toBeGreaterThan(0);
    expect([...rows.keys()].sort()).toEqual([...codes].sort());
    for (const code of codes) expect({ code, meaning: TABLE[code].title }).toEqual({ code, meaning: rows.get(code) });
  });

  it("marks as warnings exactly the codes README calls warnings", () => {
    const rows = readmeRows();
    for (const code of codes) expect({ code, warning: TABLE[code].severity === "warning" }).toEqual({ code, warning: rows.get(code)!.includes("(warning") });
  });

  it("has a test or a bad fixture that triggers every code", () => {
    const sources = triggeringSources();
    const untriggered = codes.filter((code) => !sources.some((s) => s.includes(code)));
    expect(untriggered).toEqual([]);
  });

  it("gives each message its code and the code's severity, and keeps the texts of its template", () => {
    const m = messages.D2S2008.unknownBatchOption({ kind: "map", key: "serdes" });
    expect(m).toEqual({
      code: "D2S2008",
      severity: "error",
      message: "the map option `serdes` is not supported",
      hint: "supported: maxConcurrency, completionConfig (thresholds), itemNamer",
    });
    expect(messages.D2S2016.overQuota({ bytes: 1234567, states: 1500, quota: 1048576 }).message).toBe(
      "the state machine definition is 1,234,567 bytes (1,500 states), over the Step Functions quota of 1,048,576 bytes",
    );
    expect(messages.D2S2014.earlyCompletion({ method: "map", completionConfig: false, limited: true })).toMatchObject({ code: "D2S2014", severity: "warning" });
    expect(messages.D2S1001.noSuchFile({ file: "x.ts" })).toEqual({ code: "D2S1001", severity: "error", message: "cannot read x.ts: no such file", hint: undefined });
  });
});
