// Forecast and dashboard services on a hand-made history: 8 weeks of $10 weekdays and $2 weekends, and
// $4 so far today (Monday 2026-03-02, 12:00 UTC). Every expected figure below is counted by hand.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { Decimal } from '../../../src/domain/money.js';
import { addBudget } from '../../../src/services/limits/budgets.js';
import { addQuota, type QuotaSpec } from '../../../src/services/limits/quotas.js';
import { buildDashboard } from '../../../src/services/reports/dashboard.js';
import { forecastSpend } from '../../../src/services/reports/forecast.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRowInput } from '../../helpers/seed.js';

const AT = new Date('2026-03-02T12:00:00Z');

async function history(db: Db): Promise<void> {
  const rows: UsageRowInput[] = [];
  for (let t = Date.UTC(2026, 0, 5); t < Date.UTC(2026, 2, 2); t += 86_400_000) {
    const weekday = (new Date(t).getUTCDay() + 6) % 7; // 0 = Monday
    rows.push({
      ts: new Date(t + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
      cost: weekday < 5 ? '10' : '2',
      user: 'alice',
    });
  }
  rows.push({ ts: '2026-03-02 08:00:00', cost: '4', user: 'alice' });
  await insertUsage(db, rows);
}

const quota = (name: string, user: string, limit: string): QuotaSpec => ({
  name,
  scope: { type: 'user', value: user },
  metric: 'cost',
  period: 'monthly',
  limit: new Decimal(limit),
  dailyLimit: null,
  hourlyLimit: null,
  warning: new Decimal('0.8'),
  critical: new Decimal('0.95'),
  enforcement: 'soft',
  model: null,
  recipients: [],
});

describe('forecast service', () => {
  it('a perfectly weekly history is forecast weekday by weekday; month total = actual + forecast', async () => {
    await withTempDb(async (db) => {
      await history(db);
      const f = await forecastSpend(db, { at: AT, tz: 'UTC', toMonthEnd: true });
      expect(f.history_days).toBe(56);
      expect(f.days).toHaveLength(30); // 2026-03-02 … 2026-03-31
      expect(f.days.slice(0, 7).map((d) => d.expected)).toEqual([
        '10.00',
        '10.00',
        '10.00',
        '10.00',
        '10.00',
        '2.00',
        '2.00',
      ]);
      expect(f.days[0]!.actual_so_far!.toFixed()).toBe('4');
      // March so far: Sunday the 1st ($2) + today ($4). Expected: $2 + 22 weekdays × $10 + 8 weekend days × $2.
      expect(f.period.actual_to_date.toFixed()).toBe('6');
      expect(f.period.expected_total).toBe('238.00');
      expect(Number(f.period.lo95)).toBeLessThanOrEqual(238);
      expect(Number(f.period.hi95)).toBeGreaterThanOrEqual(238);
    });
  });

  it('--horizon N forecasts N days from today', async () => {
    await withTempDb(async (db) => {
      await history(db);
      const f = await forecastSpend(db, { at: AT, tz: 'UTC', horizonDays: 3, skipLimits: true });
      expect(f.days.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
      expect(f.period.expected_total).toBe('30.00');
      expect(f.quotas).toEqual([]);
    });
  });

  it('a holiday calendar: the days listed leave the weekly profile and the level untouched', async () => {
    await withTempDb(async (db) => {
      await history(db);
      // Two holidays in the last week: Monday and Tuesday cost $1 instead of $10.
      await db.run(`UPDATE usage SET total_cost = 1 WHERE ts::DATE IN ('2026-02-23', '2026-02-24')`);
      const options = { at: AT, tz: 'UTC', horizonDays: 7, skipLimits: true };
      const without = await forecastSpend(db, options);
      const withCalendar = await forecastSpend(db, { ...options, holidays: ['2026-02-23', '2026-02-24'] });
      // Listed, they are as if the weeks had been ordinary: $10 weekdays, $2 weekends again.
      expect(withCalendar.days.map((d) => d.expected)).toEqual([
        '10.00',
        '10.00',
        '10.00',
        '10.00',
        '10.00',
        '2.00',
        '2.00',
      ]);
      expect(without.days.map((d) => d.expected)).not.toEqual(withCalendar.days.map((d) => d.expected));
    });
  });

  it('quotas and budgets: projected total at window end and the crossing day', async () => {
    await withTempDb(async (db) => {
      await history(db);
      await addQuota(db, quota('alice-monthly', 'alice', '100'), AT);
      await addQuota(db, quota('bob-monthly', 'bob', '100'), AT);
      await addQuota(db, { ...quota('alice-tokens', 'alice', '1000000'), metric: 'tokens' }, AT);
      await addBudget(
        db,
        {
          name: 'company',
          period: 'monthly',
          total: new Decimal('200'),
          allocations: [],
          warning: new Decimal('0.8'),
          enforcement: 'soft',
          recipients: [],
        },
        AT,
      );
      const f = await forecastSpend(db, { at: AT, tz: 'UTC' });
      const alice = f.quotas.find((q) => q.name === 'alice-monthly')!;
      // Used 6; +6 more today (forecast 10, 4 spent); then 21 weekdays × 10 + 8 weekend days × 2 = 226 → 238.
      expect(alice.used.toFixed()).toBe('6');
      expect(alice.projected_at_window_end).toBe('238.00');
      // Cumulative: 12 (2nd), 22, 32, 42, 52, 54, 56, 66, 76, 86, 96, 106 on the 13th.
      expect(alice.crosses_on).toBe('2026-03-13');
      const bob = f.quotas.find((q) => q.name === 'bob-monthly')!;
      expect(bob.projected_at_window_end).toBe('0.00');
      expect(bob.crosses_on).toBeNull();
      const tokens = f.quotas.find((q) => q.name === 'alice-tokens')!;
      expect(tokens.projected_at_window_end).toBeNull();
      expect(tokens.note).toBe('tokens quota: only cost is forecast');
      const budget = f.budgets[0]!;
      expect(budget.projected_at_window_end).toBe('238.00');
      // … 164 on the 22nd, 174, 184, 194, 204 on the 26th.
      expect(budget.crosses_on).toBe('2026-03-26');
    });
  });

  it('an empty database forecasts zeros, not an error', async () => {
    await withTempDb(async (db) => {
      const f = await forecastSpend(db, { at: AT, tz: 'UTC', horizonDays: 2 });
      expect(f.history_days).toBe(0);
      expect(f.days.map((d) => d.expected)).toEqual(['0.00', '0.00']);
    });
  });
});

describe('dashboard service', () => {
  it('today, month, last month, MoM, quotas, trend — all exact sums', async () => {
    await withTempDb(async (db) => {
      await history(db);
      await addQuota(db, quota('alice-monthly', 'alice', '100'), AT);
      await addQuota(db, quota('alice-tight', 'alice', '5'), AT);
      const d = await buildDashboard(db, { at: AT, tz: 'UTC' });
      expect(d.today.cost.toFixed()).toBe('4');
      expect(d.today.requests).toBe(1n);
      expect(d.month.cost.toFixed()).toBe('6');
      // February 2026: 20 weekdays × 10 + 8 weekend days × 2.
      expect(d.last_month.cost.toFixed()).toBe('216');
      // Feb 1 (Sunday, $2) + Feb 2 09:00 ($10) are before the same point (Feb 2 12:00): (6 − 12) / 12.
      expect(d.last_month.cost_to_same_point.toFixed()).toBe('12');
      expect(d.mom_change_pct).toBe(-50);
      expect(d.month.cost_per_request!.toFixed()).toBe('3');
      expect(d.quotas).toMatchObject({ total: 2, ok: 1, exceeded: 1 });
      expect(d.quotas.attention.map((q) => q.name)).toEqual(['alice-tight']);
      expect(d.cost_by_type.map((c) => [c.cost_type, c.total_cost.toFixed()])).toEqual([['ai_api', '6']]);
      expect(d.top_users.map((u) => [u.user, u.total_cost.toFixed()])).toEqual([['alice', '6']]);
      expect(d.daily_trend).toHaveLength(30);
      expect(d.daily_trend[0]!.date).toBe('2026-02-01');
      const trendSum = d.daily_trend.reduce((s, x) => s.plus(x.total_cost), new Decimal(0));
      const sql = await db.one(
        "SELECT sum(total_cost)::VARCHAR AS t FROM usage WHERE ts >= '2026-02-01' AND ts < '2026-03-03'",
      );
      expect(trendSum.toFixed()).toBe(new Decimal(sql!.t).toFixed());
      expect(trendSum.toFixed()).toBe('222');
    });
  });
});
