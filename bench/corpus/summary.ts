import { fileVerifyOutcome, type CorpusRecord } from "./record.ts";

/** The figures of one corpus (or of all): counts of files. */
export interface CorpusFigures {
  tried: number;
  compiled: number;
  refused: number;
  crashed: number;
  timedOut: number;
  failed: number;
  missing: number;
  /** With verify: compiled files whose every handler verified equal / one differs / the rest. */
  equal: number;
  differ: number;
  notComparable: number;
  /** Refused files by the code of their first error diagnostic. */
  refusalsByCode: Record<string, number>;
}

export function figures(records: CorpusRecord[]): CorpusFigures {
  const f: CorpusFigures = { tried: 0, compiled: 0, refused: 0, crashed: 0, timedOut: 0, failed: 0, missing: 0, equal: 0, differ: 0, notComparable: 0, refusalsByCode: {} };
  for (const r of records) {
    if (r.status === "missing") {
      f.missing++;
      continue;
    }
    f.tried++;
    if (r.status === "compiled") f.compiled++;
    else if (r.status === "refused") {
      f.refused++;
      const code = r.outcome?.diagnostic?.code ?? "(no diagnostic)";
      f.refusalsByCode[code] = (f.refusalsByCode[code] ?? 0) + 1;
    } else if (r.status === "crash") f.crashed++;
    else if (r.status === "timeout") f.timedOut++;
    else f.failed++;
    // A file that compiled but whose verify timed out has no outcome: not comparable.
    const v = fileVerifyOutcome(r);
    if (v === "equal") f.equal++;
    else if (v === "differ") f.differ++;
    else if (v === "not comparable") f.notComparable++;
  }
  return f;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The end-of-run summary: figures per corpus and in all, then refusals by first code (Markdown tables). */
export function summaryText(records: CorpusRecord[], verified: boolean): string {
  const corpora = [...new Set(records.map((r) => r.corpus))];
  const groups: Array<[string, CorpusFigures]> = [...corpora.map((c) => [c, figures(records.filter((r) => r.corpus === c))] as [string, CorpusFigures]), ["all", figures(records)]];
  const header = ["corpus", "tried", "compiled", "refused", "crashed", "timed out", "failed", ...(verified ? ["equal", "differ", "not comparable"] : []), "missing"];
  const rows = groups.map(([name, f]) => [
    name,
    ...[f.tried, f.compiled, f.refused, f.crashed, f.timedOut, f.failed, ...(verified ? [f.equal, f.differ, f.notComparable] : []), f.missing].map(String),
  ]);
  const codes = [...new Set(groups.flatMap(([, f]) => Object.keys(f.refusalsByCode)))].sort();
  const codeRows = codes
    .map((code) => [code, ...groups.map(([, f]) => String(f.refusalsByCode[code] ?? 0))])
    .sort((a, b) => Number(b[b.length - 1]) - Number(a[a.length - 1]) || a[0]!.localeCompare(b[0]!));
  const parts = [table(header, rows)];
  if (codeRows.length > 0) parts.push("Refusals by first diagnostic code:", table(["code", ...groups.map(([name]) => name)], codeRows));
  if (verified) {
    const costRows = groups.map(([name]) => costRow(name, name === "all" ? records : records.filter((r) => r.corpus === name)));
    parts.push("Cost of the handlers that verified equal, on their scenario (one run each):", table(["corpus", "handlers", "transitions", "step invocations", "glue invocations"], costRows));
  }
  return parts.join("\n\n");
}

/** Sums the compiled runs' cost over the handlers that verified equal. */
function costRow(name: string, records: CorpusRecord[]): string[] {
  const costs = records.flatMap((r) => r.outcome?.verify ?? []).flatMap((v) => (v.cost ? [v.cost] : []));
  const sum = (key: "transitions" | "steps" | "glue") => String(costs.reduce((n, c) => n + c[key], 0));
  return [name, String(costs.length), sum("transitions"), sum("steps"), sum("glue")];
}
