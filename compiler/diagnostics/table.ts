/**
 * Every diagnostic the compiler gives, in one table: for each stable code its severity, its
 * meaning (the README's diagnostics table says the same, test/compiler/diagnostic-table.test.ts
 * checks it) and its message variants. A variant is a template with typed parameters that gives
 * the message and its hint; raise sites name a variant (`messages.D2S2008.unknownRetryOption({ name })`,
 * see ../diagnostics.ts), so a typo in a variant or a missing parameter is a type error, and the
 * wording of a code lives here, not at the sites. Codes never change meaning; retired codes are
 * not reused.
 */

import type { Entry } from "./entry.ts";
import { UNSUPPORTED_CODES } from "./unsupported-codes.ts";
import { INPUT_CODES } from "./input-codes.ts";

export type { DiagnosticText, Severity } from "./entry.ts";

export const TABLE = { ...INPUT_CODES, ...UNSUPPORTED_CODES } as const satisfies Record<string, Entry>;

export type DiagnosticCode = keyof typeof TABLE;
