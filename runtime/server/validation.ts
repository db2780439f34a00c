import { definitionProblems } from "../emulator/index.ts";

export interface ValidationDiagnostic {
  severity: "ERROR" | "WARNING";
  code: string;
  message: string;
  location?: string;
}

export interface ValidationResponse {
  result: "OK" | "FAIL";
  diagnostics: ValidationDiagnostic[];
  truncated: boolean;
}

/**
 * ValidateStateMachineDefinition answered by our own validation (asl-validator plus the
 * emulator's rules), shaped as the API answers: `result`, `diagnostics` with a JSON-pointer
 * `location`, `truncated`. Codes follow the API's (INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED).
 */
export function validateDefinitionText(definition: string, maxResults = 100): ValidationResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (err) {
    return fail([{ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", message: (err as Error).message }], maxResults);
  }
  const diagnostics = definitionProblems(parsed).map((p): ValidationDiagnostic => ({
    severity: "ERROR",
    code: "SCHEMA_VALIDATION_FAILED",
    message: p.message,
    location: jsonPointer(p.path),
  }));
  return diagnostics.length === 0 ? { result: "OK", diagnostics: [], truncated: false } : fail(diagnostics, maxResults);
}

function fail(diagnostics: ValidationDiagnostic[], maxResults: number): ValidationResponse {
  return { result: "FAIL", diagnostics: diagnostics.slice(0, maxResults), truncated: diagnostics.length > maxResults };
}

/** `$.States.Charge.Retry[0]` and `$.States["My state"]` → `/States/Charge/Retry/0`, `/States/My state`. */
export function jsonPointer(path: string): string {
  const parts = [...path.matchAll(/\.([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)].map((m) => m[1] ?? m[2] ?? JSON.parse(m[3]!));
  return `/${parts.map((p: string) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}
