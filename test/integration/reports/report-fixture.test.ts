// Every report on the hand-checked fixture (fixtures/reports/README.md): the sums over periods, keys and
// heatmap cells equal the total cost of the rows to the last decimal, in UTC and in Asia/Shanghai.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { distReport } from '../../../src/services/reports/dist.js';
import { patternsReport } from '../../../src/services/reports/patterns.js';
import { trendReport } from '../../../src/services/reports/trend.js';
import { efficiencyReport } from '../../../src/services/reports/efficiency.js';
import { withTempDb } from '../../helpers/db.js';
import { loadReportFixture } from '../../helpers/report-fixture.js';

const TOTAL = '7.76000000000000001';
const range = (tz: string) => ({
  from: new Date('2026-02-23T00:00:00Z'),
  to: new Date('2026-03-09T00:00:00Z'),
  tz,
  filters: {},
});
const sum = (xs: Array<Decimal | null>) => xs.reduce<Decimal>((s, x) => (x ? s.plus(x) : s), new Decimal(0)).toFixed();

describe('reports on the hand-checked fixture', () => {
  it('the database holds the README total (independent SQL sum)', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const r = await db.one('SELECT sum(total_cost)::VARCHAR AS t FROM usage');
      expect(new Decimal(r!.t).toFixed()).toBe(TOTAL);
    });
  });

  it('trend by day: UTC and Asia/Shanghai days match the README, zero days included, sums exact', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const utc = await trendReport(db, {
        from: new Date('2026-03-01T00:00:00Z'),
        to: new Date('2026-03-07T00:00:00Z'),
        tz: 'UTC',
        filters: {},
        by: 'day',
      });
      expect(utc.map((r) => [r.period, r.total_cost.toFixed()])).toEqual([
        ['2026-03-01', '1.583333333333333333'],
        ['2026-03-02', '3.166666666666666668'],
        ['2026-03-03', '3.01'],
        ['2026-03-04', '0'],
        ['2026-03-05', '0.000000000000000009'],
        ['2026-03-06', '0'],
      ]);
      expect(utc[3]!.requests).toBe(1n); // the unpriced request still counts
      expect(sum(utc.map((r) => r.total_cost))).toBe(TOTAL);

      const tz = 'Asia/Shanghai';
      const sh = await trendReport(db, {
        from: new Date('2026-02-28T16:00:00Z'),
        to: new Date('2026-03-06T16:00:00Z'),
        tz,
        filters: {},
        by: 'day',
      });
      expect(sh.map((r) => [r.period, r.total_cost.toFixed()])).toEqual([
        ['2026-03-01', '1.25'],
        ['2026-03-02', '2.833333333333333334'],
        ['2026-03-03', '3.676666666666666667'],
        ['2026-03-04', '0'],
        ['2026-03-05', '0'],
        ['2026-03-06', '0.000000000000000009'],
      ]);
      expect(sum(sh.map((r) => r.total_cost))).toBe(TOTAL);
    });
  });

  it('trend by week, month and hour sums to the total; change_pct follows the periods', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const weeks = await trendReport(db, { ...range('UTC'), by: 'week' });
      expect(weeks.map((r) => [r.period, r.total_cost.toFixed()])).toEqual([
        ['2026-02-23', '1.583333333333333333'],
        ['2026-03-02', '6.176666666666666677'],
      ]);
      // (6.176666… − 1.583333…) / 1.583333… = 290.11 %
      expect(weeks[1]!.change_pct).toBeCloseTo(290.11, 2);
      const hours = await trendReport(db, { ...range('UTC'), by: 'hour' });
      expect(hours.length).toBe(14 * 24);
      expect(sum(hours.map((r) => r.total_cost))).toBe(TOTAL);
      const months = await trendReport(db, { ...range('Asia/Shanghai'), by: 'month' });
      expect(sum(months.map((r) => r.total_cost))).toBe(TOTAL);
    });
  });

  it('dist by user and department: README figures, unpriced line, --top folding keeps the sum', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const users = await distReport(db, { ...range('UTC'), by: 'user' });
      expect(users.map((r) => [r.key, r.total_cost?.toFixed() ?? null, r.requests])).toEqual([
        ['dave', '3', 1n],
        ['carol', '2.5', 1n],
        ['alice', '1.260000000000000001', 3n],
        ['bob', '1.000000000000000009', 3n],
        ['(unpriced)', null, 1n],
      ]);
      expect(users[4]!.tokens).toBe(200n);
      expect(sum(users.map((r) => r.total_cost))).toBe(TOTAL);
      const top2 = await distReport(db, { ...range('UTC'), by: 'user', top: 2 });
      expect(top2.map((r) => r.key)).toEqual(['dave', 'carol', 'other', '(unpriced)']);
      expect(top2[2]!.total_cost!.toFixed()).toBe('2.26000000000000001');
      expect(sum(top2.map((r) => r.total_cost))).toBe(TOTAL);
      const depts = await distReport(db, { ...range('UTC'), by: 'department' });
      expect(depts.filter((r) => r.total_cost).map((r) => [r.key, r.total_cost!.toFixed()])).toEqual([
        ['sales', '3.760000000000000001'],
        ['(none)', '3'],
        ['support', '1.000000000000000009'],
      ]);
      // share: 3 / 7.76 = 38.66 %
      expect(depts[1]!.share_pct).toBe(38.66);
    });
  });

  it('dist honours filters', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const rows = await distReport(db, {
        ...range('UTC'),
        filters: { department: ['support'], model: ['gpt-a'] },
        by: 'user',
      });
      expect(rows.map((r) => [r.key, r.total_cost?.toFixed()])).toEqual([['bob', '0.666666666666666667']]);
    });
  });

  it('patterns: heatmap cells sum to the total; peaks and top-3 share as in the README; zones move cells', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const p = await patternsReport(db, range('UTC'));
      expect(sum(p.cells.map((c) => c.total_cost))).toBe(TOTAL);
      expect(p.cells.find((c) => c.weekday === 7 && c.hour === 15)!.total_cost.toFixed()).toBe('1.25');
      expect(p.peak_hours).toEqual([12, 9, 15]);
      expect(p.top3_share_pct).toBe(86.98);
      const sh = await patternsReport(db, range('Asia/Shanghai'));
      expect(sum(sh.cells.map((c) => c.total_cost))).toBe(TOTAL);
      // Row 1 (Sunday 15:30 UTC) is Sunday 23:00 in Shanghai; row 7 (Tuesday 12:00 UTC) is Tuesday 20:00.
      expect(sh.cells.find((c) => c.weekday === 7 && c.hour === 23)!.total_cost.toFixed()).toBe('1.25');
      expect(sh.cells.find((c) => c.weekday === 2 && c.hour === 20)!.total_cost.toFixed()).toBe('3');
    });
  });

  it('efficiency: per-model ratios are exact decimal divisions of hand sums', async () => {
    await withTempDb(async (db) => {
      await loadReportFixture(db);
      const e = await efficiencyReport(db, range('UTC'));
      // gpt-a: rows 1, 3, 5, 7 = 4.916666666666666668 over 1500+1000+600+100 = 3200 tokens, 4 requests.
      const a = e.models.find((m) => m.model === 'gpt-a')!;
      expect(a.total_cost.toFixed()).toBe('4.916666666666666668');
      expect(a.tokens).toBe(3200n);
      expect(a.cost_per_request!.toFixed()).toBe('1.2291666667');
      expect(a.cost_per_1k_tokens!.toFixed()).toBe('1.5364583333');
      expect(sum(e.models.map((m) => m.total_cost))).toBe(TOTAL);
      expect(e.most_expensive[0]!.total_cost.toFixed()).toBe('3');
      expect(e.most_expensive[0]!.user).toBe('dave');
      expect(e.models.some((m) => m.model === 'mystery')).toBe(false);
    });
  });
});
