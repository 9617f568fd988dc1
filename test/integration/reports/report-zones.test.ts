// Local days in zones that are not whole hours from UTC, or that change offset: the UTC buckets must
// still land in the right local day.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { trendReport } from '../../../src/services/reports/trend.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRowInput } from '../../helpers/seed.js';

describe('local days in awkward zones', () => {
  it('Asia/Kolkata (UTC+5:30): 18:15 and 18:45 UTC fall on different local days', async () => {
    await withTempDb(async (db) => {
      await insertUsage(db, [
        { ts: '2026-03-01 18:15:00', cost: '1.1' }, // 23:45 local, 1 March
        { ts: '2026-03-01 18:45:00', cost: '2.2' }, // 00:15 local, 2 March
      ]);
      const rows = await trendReport(db, {
        from: new Date('2026-02-28T18:30:00Z'),
        to: new Date('2026-03-02T18:30:00Z'),
        tz: 'Asia/Kolkata',
        filters: {},
        by: 'day',
      });
      expect(rows.map((r) => [r.period, r.total_cost.toFixed()])).toEqual([
        ['2026-03-01', '1.1'],
        ['2026-03-02', '2.2'],
      ]);
    });
  });

  it('America/New_York on the DST switch (2026-03-08 has 23 hours)', async () => {
    await withTempDb(async (db) => {
      const rows: UsageRowInput[] = [];
      // One $1 row at every UTC hour from 2026-03-07 05:00 (local midnight, EST) for 71 hours.
      for (let h = 0; h < 71; h++)
        rows.push({
          ts: new Date(Date.UTC(2026, 2, 7, 5 + h)).toISOString().slice(0, 19).replace('T', ' '),
          cost: '1',
        });
      await insertUsage(db, rows);
      const days = await trendReport(db, {
        from: new Date('2026-03-07T05:00:00Z'),
        to: new Date('2026-03-10T04:00:00Z'),
        tz: 'America/New_York',
        filters: {},
        by: 'day',
      });
      // 7 March: 24 local hours; 8 March: 23 (02:00 is skipped); 9 March: 24.
      expect(days.map((r) => [r.period, r.total_cost.toFixed(), r.requests])).toEqual([
        ['2026-03-07', '24', 24n],
        ['2026-03-08', '23', 23n],
        ['2026-03-09', '24', 24n],
      ]);
      const hours = await trendReport(db, {
        from: new Date('2026-03-08T05:00:00Z'),
        to: new Date('2026-03-09T04:00:00Z'),
        tz: 'America/New_York',
        filters: {},
        by: 'hour',
      });
      expect(hours).toHaveLength(23);
      expect(hours.map((h) => h.period).slice(1, 4)).toEqual([
        '2026-03-08 01:00',
        '2026-03-08 03:00',
        '2026-03-08 04:00',
      ]);
      expect(hours.reduce((s, h) => s.plus(h.total_cost), new Decimal(0)).toFixed()).toBe('23');
    });
  });
});
