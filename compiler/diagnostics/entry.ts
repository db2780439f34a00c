/** The shape of one row of the diagnostics table (table.ts). */

export type Severity = "error" | "warning";

/** What a variant gives: the message, and the hint printed under it. */
export interface DiagnosticText {
  message: string;
  hint?: string;
}

/** A variant's parameters are its own; `never` lets any parameter type be listed. */
export type Variant = (params: never) => DiagnosticText;

export interface Entry {
  severity: Severity;
  /** The meaning of the code, as in README's diagnostics table. */
  title: string;
  variants: Record<string, Variant>;
}
