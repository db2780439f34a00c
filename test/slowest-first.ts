import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The slowest files, slowest first (seconds measured on a 2-core machine, one file at a time).
 * Two workers end together when the long files start first; vitest's own order needs durations
 * from an earlier run (node_modules/.vite), which a fresh clone in CI does not have.
 * The list only orders: a file missing from it, or a name no longer there, changes nothing else.
 */
const SLOWEST = [
  "test/compiler/equivalence-1.test.ts",
  "test/compiler/equivalence-2.test.ts",
  "test/server/console-browser.test.ts", // 68
  "test/pipeline/clear-answers.test.ts", // 65
  "test/pipeline/build-safety.test.ts", // 59
  "test/pipeline/handler-choice.test.ts", // 49
  "test/pipeline/deploy.test.ts", // 49
  "test/compiler/output.test.ts", // 43
  "test/pipeline/graph-layout.test.ts", // 37
  "test/pipeline/build.test.ts", // 31
  "test/compiler/diagnostics.test.ts", // 30
  "test/package/install.test.ts", // 27
  "test/pipeline/validate.test.ts", // 26
];

const rank = (spec: TestSpecification): number => {
  const at = SLOWEST.findIndex((name) => spec.moduleId.endsWith(name));
  return at < 0 ? SLOWEST.length : at;
};

export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: files of equal rank keep vitest's order (projects' groups first).
    const sorted = await super.sort(files);
    return sorted.sort((a, b) => a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || rank(a) - rank(b));
  }
}
