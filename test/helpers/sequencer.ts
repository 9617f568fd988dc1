// The order test files start in. A clean clone (CI) has no timings from an earlier run, so vitest would
// start files by size, and the longest file, a short one that kills real ingests until one tears its
// commit, would start last and run alone at the end. Here the files known to be slow start first, then
// the other end-to-end files (each starts real processes), then the rest in vitest's own order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The slowest files of a full run (vitest --reporter=json, 2026-12-07), longest first. */
const SLOW_FIRST = [
  'test/e2e/ingest-torn-commit.test.ts',
  'test/e2e/ingest.test.ts',
  'test/e2e/record-concurrent.test.ts',
  'test/e2e/serve-records.test.ts',
  'test/e2e/quota-cli.test.ts',
];

function rank(file: string): number {
  const slow = SLOW_FIRST.findIndex((s) => file.endsWith(s));
  if (slow >= 0) return slow;
  return file.includes('/test/e2e/') ? SLOW_FIRST.length : SLOW_FIRST.length + 1;
}

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: within a rank, vitest's order stays.
    return sorted.sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}
