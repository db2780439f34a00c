/** Messages and arguments between the fuzz CLI (cli.ts) and its worker processes (worker.ts). */

export type WorkerMessage =
  | { type: "result"; index: number; kind: string; signature: string; summary: string; ms: number; features: string[] }
  | {
      type: "shrunk";
      index: number;
      signature: string;
      /** Regression file written (only by the last round), undefined when not written. */
      name: string | undefined;
      summary: string;
      tries: number;
      interrupted: boolean;
      path: string;
      source: string;
    }
  | { type: "shrink-lost"; index: number; signature: string };

export interface WorkerArgs {
  seed: number;
  from?: number;
  to?: number;
  replay?: number;
  /** Resume shrinking from this fast-check path (default: the program's index). */
  path?: string;
  /** This round writes the regression files even if its time runs out. */
  last?: boolean;
  signature?: string;
  exclude: string[];
  /** Optional grammar features (generator/features.ts). */
  features: string[];
  shrinkSeconds: number;
  keepOracle: boolean;
}

export function workerArgv(a: WorkerArgs): string[] {
  const argv = ["--seed", String(a.seed), "--shrink-seconds", String(a.shrinkSeconds)];
  if (a.from !== undefined) argv.push("--from", String(a.from), "--to", String(a.to));
  if (a.replay !== undefined) argv.push("--replay", String(a.replay), "--path", a.path ?? String(a.replay), "--signature", a.signature ?? "");
  if (a.last) argv.push("--last");
  if (a.exclude.length > 0) argv.push("--exclude", a.exclude.join(","));
  if (a.features.length > 0) argv.push("--features", a.features.join(","));
  if (a.keepOracle) argv.push("--keep-oracle");
  return argv;
}
