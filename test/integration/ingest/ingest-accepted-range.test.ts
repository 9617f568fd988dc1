// The accepted range of instants is configurable (`accepted_from` / `accepted_to`, the ingest flags): every
// format checks rows against the range of the run, and the next run is back to its own (default) range.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptedRange, type InstantRange } from '../../../src/domain/ingest-bounds.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES, ingest, scalar } from './ingest-helpers.js';

function range(from?: string, to?: string): InstantRange {
  const r = acceptedRange(from, to, { first: 'from', last: 'to' });
  if (typeof r === 'string') throw new Error(r);
  return r;
}

function jsonl(): string {
  const path = join(tempDir(), 'rows.jsonl');
  const day = (id: string, ts: string) => `{"request_id":"${id}","timestamp":"${ts}","model":"m"}`;
  writeFileSync(
    path,
    `${[day('old', '2019-12-31T23:59:59Z'), day('first', '2020-01-01T00:00:00Z'), day('last', '2026-03-31T23:59:59Z'), day('late', '2026-04-01T00:00:00Z')].join('\n')}\n`,
  );
  return path;
}

describe('a configured accepted range', () => {
  it('narrows what native usage rows may carry, the first and last day included', async () => {
    await withTempDb(async (db) => {
      const report = await ingest(db, [jsonl()], { accepted: range('2020-01-01', '2026-03-31') });
      expect(await scalar(db, "SELECT string_agg(request_id, ',' ORDER BY ts) FROM usage")).toBe('first,last');
      expect(report.files[0]!.rejects.map((r) => [r.line, r.reason])).toEqual([
        [1, 'timestamp "2019-12-31T23:59:59Z" is outside the accepted range 2020-01-01 to 2026-03-31 (UTC)'],
        [4, 'timestamp "2026-04-01T00:00:00Z" is outside the accepted range 2020-01-01 to 2026-03-31 (UTC)'],
      ]);
      // The next run without a range is back to the default: the same file's rows all load.
      const again = await ingest(db, [jsonl()]);
      expect(again.files[0]!.rows_rejected).toBe(0);
    });
  });

  it('applies to billing lines (FOCUS) too', async () => {
    await withTempDb(async (db) => {
      const f = (await ingest(db, [join(FIXTURES, 'focus', 'focus-1.2-ai.csv')], { accepted: range('2026-03-02') }))
        .files[0]!;
      expect(f.rows_rejected).toBeGreaterThan(0);
      for (const r of f.rejects) {
        expect(r.reason).toMatch(
          /^ChargePeriodStart "2026-03-01[ T]00:00:00Z?" is outside the accepted range 2026-03-02 to 2099-12-31 \(UTC\)$/,
        );
      }
      expect(await scalar(db, 'SELECT min(charge_period_start)::VARCHAR FROM billing_lines')).toBe(
        '2026-03-02 00:00:00',
      );
    });
  });
});
