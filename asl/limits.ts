/** Step Functions quotas on the definition itself (AWS docs, "Step Functions service quotas"). */
export const DefinitionLimits = {
  definitionBytes: 1024 * 1024,
  /** Largest TimeoutSeconds, HeartbeatSeconds, MaxAttempts and IntervalSeconds the ASL accepts. */
  maxSecondsField: 99_999_999,
  variableNameLength: 80,
} as const;
