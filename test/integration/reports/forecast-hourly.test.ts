// `report forecast --grain hour` on real traffic: BurstGPT's conversation requests per hour (fixtures,
// CC BY 4.0) at $0.001 a request, day 0 placed on Monday 2026-01-05. At 10:30 on day 45 the service
// forecasts the next 24 hours with bands, and projects when a daily sub-limit set to 90 % of that day's
// real spend runs out; both are checked against what the real series did next.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { addQuota } from '../../../src/services/limits/quotas.js';
import { forecastSpendHourly } from '../../../src/services/reports/forecast-hourly.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRowInput } from '../../helpers/seed.js';
import { burstGptHourly } from '../../helpers/series.js';

const DAY0 = Date.UTC(2026, 0, 5);
const DAY = 45;
const AT = new Date(DAY0 + DAY * 86_400_000 + 10.5 * 3_600_000);
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('hourly forecast on BurstGPT conversation traffic', () => {
  it('24 hours with ordered bands that hold the real hours; a daily limit projected to run out near when it did', async () => {
    const series = burstGptHourly();
    const count = (d: number, h: number) => series[d * 24 + h]!.conversation;
    await withTempDb(async (db) => {
      const rows: UsageRowInput[] = [];
      for (let d = 0; d <= DAY; d++) {
        for (let h = 0; h < 24; h++) {
          const t = DAY0 + d * 86_400_000 + h * 3_600_000;
          if (t >= AT.getTime()) break;
          // The current hour (10:00–10:30) has half its requests so far.
          const n = t + 3_600_000 > AT.getTime() ? Math.floor(count(d, h) / 2) : count(d, h);
          if (n > 0) rows.push({ ts: stamp(t + 60_000), cost: new Decimal(n).div(1000).toFixed(), requests: n });
        }
      }
      await insertUsage(db, rows);
      const dayTotal = Array.from({ length: 24 }, (_, h) => count(DAY, h)).reduce((a, b) => a + b, 0) / 1000;
      const limit = new Decimal(dayTotal * 0.9).toDecimalPlaces(3);
      await addQuota(
        db,
        {
          name: 'day-cap',
          scope: { type: 'global', value: null },
          metric: 'cost',
          period: 'monthly',
          limit: new Decimal(1000),
          dailyLimit: limit,
          hourlyLimit: null,
          warning: new Decimal('0.8'),
          critical: new Decimal('0.95'),
          enforcement: 'soft',
          model: null,
          recipients: [],
        },
        AT,
      );

      const f = await forecastSpendHourly(db, { at: AT, tz: 'UTC', horizonHours: 24 });
      expect(f.calibrated).toBe(true);
      expect(f.hours).toHaveLength(24);
      expect(f.hours[0]!.hour).toBe('2026-02-19 10:00');
      expect(f.hours[0]!.actual_so_far!.toFixed()).toBe(
        new Decimal(Math.floor(count(DAY, 10) / 2)).div(1000).toFixed(),
      );
      let in95 = 0;
      f.hours.forEach((x, k) => {
        const v = [x.lo95, x.lo80, x.expected, x.hi80, x.hi95].map(Number);
        expect([...v].sort((a, b) => a - b)).toEqual(v);
        const at = DAY * 24 + 10 + k;
        const real = series[at]!.conversation / 1000;
        if (real >= v[0]! && real <= v[4]!) in95++;
      });
      // One origin's 24 hours move together (this day ran above its forecast overnight: 19 of 24 inside);
      // coverage over many origins is what forecast-hourly-backtest.test.ts measures.
      expect(in95).toBeGreaterThanOrEqual(16);

      // When the real day crossed 90 % of its total, and when the forecast says it will.
      let cumulative = 0;
      let realHour = -1;
      for (let h = 0; h < 24 && realHour < 0; h++) {
        cumulative += count(DAY, h) / 1000;
        if (cumulative >= limit.toNumber()) realHour = h;
      }
      const daily = f.quotas.filter((q) => q.limit_kind === 'daily');
      expect(daily).toHaveLength(1);
      const projected = Number(daily[0]!.runs_out_at!.slice(11, 13));
      expect(Math.abs(projected - realHour)).toBeLessThanOrEqual(2);
      // The cautious estimate (80 % upper edges) is never later than the expected one.
      expect(Number(daily[0]!.may_run_out_at!.slice(11, 13))).toBeLessThanOrEqual(projected);
      // The monthly period ends after the 24 hours: it is not projected here.
      expect(f.quotas.map((q) => q.limit_kind)).toEqual(['daily']);
    });
  });
});
