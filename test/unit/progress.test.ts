// The live ingest progress line: its text for each step, and the terminal codes that rewrite it in place.
import { describe, expect, it } from 'vitest';
import { ingestProgressText, LiveLine } from '../../src/render/progress.js';

describe('ingest progress line', () => {
  const base = { path: 'logs/big.csv', sizeBytes: 1_024_000_000 };

  it('while reading: the share done, the MB it stands for and the rate', () => {
    expect(ingestProgressText({ ...base, step: 'reading', percentage: 45.6, elapsedMs: 4_000 })).toBe(
      'ingesting logs/big.csv (1024.0 MB): reading 45% (467 MB, 117 MB/s) · 4 s',
    );
  });

  it('while loading: the share of the running statement', () => {
    expect(ingestProgressText({ ...base, step: 'loading', percentage: 12, elapsedMs: 9_400 })).toBe(
      'ingesting logs/big.csv (1024.0 MB): loading 12% · 9 s',
    );
  });

  it('when DuckDB cannot tell yet: the step and the time only', () => {
    expect(ingestProgressText({ ...base, step: 'reading', percentage: null, elapsedMs: 0 })).toBe(
      'ingesting logs/big.csv (1024.0 MB): reading… 0 s',
    );
  });

  it('rewrites one line in place and clears it only when something is shown', () => {
    const written: string[] = [];
    const line = new LiveLine((raw) => written.push(raw));
    line.clear();
    expect(written).toEqual([]);
    line.show('a');
    line.show('b');
    line.clear();
    line.clear();
    expect(written).toEqual(['\r\x1b[Ka', '\r\x1b[Kb', '\r\x1b[K']);
  });
});
