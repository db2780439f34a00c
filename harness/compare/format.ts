import type { Difference } from "./compare.ts";
import { showJson, toJson } from "./json.ts";
import type { OperationRecord, Trace } from "./trace.ts";

const COLUMN_MAX = 56;
const MARK = "!";
const FIRST = "  <- first difference";

interface Row {
  label: string;
  left: string;
  right: string;
  /** Difference paths this row shows; the row is marked when any of them differs. */
  paths: string[];
}

/**
 * A side-by-side view (SDK | compiled) of two traces: status, result or error, then the
 * operations as an indented tree. Rows holding a difference are marked with "!" in the gutter,
 * and the first such row is pointed at.
 */
export function formatDiff(expected: Trace, actual: Trace, differences: Difference[]): string {
  const e = toJson(expected) as Trace;
  const a = toJson(actual) as Trace;
  const rows: Row[] = [
    { label: "status", left: e.status, right: a.status, paths: ["status"] },
    { label: "result", left: showJson(e.result), right: showJson(a.result), paths: ["result"] },
    {
      label: "error",
      left: showError(e),
      right: showError(a),
      paths: ["error.errorType", "error.errorMessage"],
    },
    { label: "operations", left: "", right: "", paths: [] },
    ...operationRows("operations", e.operations ?? [], a.operations ?? [], 1),
  ];
  const differing = new Set(differences.map((d) => d.path));
  const isMarked = (row: Row) =>
    row.paths.some((p) => differing.has(p) || [...differing].some((d) => d.startsWith(`${p}.`) && !d.slice(p.length + 1).includes("children")));
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const leftWidth = Math.min(COLUMN_MAX, Math.max("SDK".length, ...rows.map((r) => r.left.length)));
  const lines = [`  ${pad("", labelWidth)}  ${pad("SDK", leftWidth)} | compiled`];
  let pointed = false;
  for (const row of rows) {
    const marked = isMarked(row);
    const line = `${marked ? MARK : " "} ${pad(row.label, labelWidth)}  ${pad(clip(row.left), leftWidth)} | ${clip(row.right)}`;
    lines.push((marked && !pointed ? line + FIRST : line).trimEnd());
    if (marked) pointed = true;
  }
  lines.push(differences.length === 0 ? "traces are equal" : `${differences.length} difference(s)`);
  return lines.join("\n");
}

function operationRows(path: string, left: OperationRecord[], right: OperationRecord[], depth: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const here = `${path}[${i}]`;
    const l = left[i];
    const r = right[i];
    rows.push({
      label: `${"  ".repeat(depth)}${i + 1}`,
      left: l ? showOperation(l) : "-",
      right: r ? showOperation(r) : "-",
      paths: [here],
    });
    if (l?.children || r?.children) rows.push(...operationRows(`${here}.children`, l?.children ?? [], r?.children ?? [], depth + 1));
  }
  return rows;
}

function showOperation(op: OperationRecord): string {
  const parts = [op.kind, op.name === null ? "(unnamed)" : JSON.stringify(op.name), op.status];
  if (op.attempts !== undefined) parts.push(`attempts=${op.attempts}`);
  if (op.waitSeconds !== undefined) parts.push(`${op.waitSeconds}s`);
  return parts.join(" ");
}

function showError(trace: Trace): string {
  return trace.error ? `${trace.error.errorType}: ${trace.error.errorMessage}` : "-";
}

function clip(text: string): string {
  return text.length <= COLUMN_MAX ? text : `${text.slice(0, COLUMN_MAX - 1)}…`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}
