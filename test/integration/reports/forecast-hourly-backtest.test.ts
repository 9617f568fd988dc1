// Rolling-origin backtest of the hourly forecast (issue #21) on two real series the project ships:
// BurstGPT conversation requests per hour (61 days) and NYC taxi passengers per hour (NAB, 7 months).
// The suite runs a few origins (seconds); HOURLY_BACKTEST_FULL=1 runs the figures in docs/ANALYTICS.md
// (origins every 6 hours on BurstGPT, every 30 on NYC taxi; about a minute).
import { describe, expect, it } from 'vitest';
import { describeHourly, hourlyBacktest, type HourlyBacktest } from '../../helpers/hourly-backtest.js';
import { burstGptHourly, nabHourly } from '../../helpers/series.js';

const FULL = process.env.HOURLY_BACKTEST_FULL === '1';
const H = 24;

/** Coverage pooled over h = 1…24 hours ahead. */
function pooled(b: HourlyBacktest) {
  const xs = Object.values(b.at);
  const n = xs.reduce((s, x) => s + x.points, 0);
  return {
    cover80: xs.reduce((s, x) => s + x.cover80 * x.points, 0) / n,
    cover95: xs.reduce((s, x) => s + x.cover95 * x.points, 0) / n,
  };
}

describe('hourly forecast backtest', () => {
  const report = Array.from({ length: H }, (_, i) => i + 1);
  it.each([
    [
      'BurstGPT conversation',
      () => ({ hours: burstGptHourly().map((h) => h.conversation), firstWeekday: 0 }),
      { minDays: 28, step: FULL ? 6 : 61 },
    ],
    [
      'NYC taxi',
      () => {
        const { start, values } = nabHourly('realKnownCause/nyc_taxi.csv');
        return { hours: values, firstWeekday: (start.getUTCDay() + 6) % 7 };
      },
      { minDays: 70, step: FULL ? 30 : 277 },
    ],
  ])(
    '%s: bands near 80 %/95 % over the next 24 hours, and better than the same hour last week',
    (name, load, o) => {
      const { hours, firstWeekday } = load();
      const b = hourlyBacktest(hours, {
        firstWeekday,
        minDays: o.minDays,
        stepHours: o.step,
        horizon: FULL ? 72 : H,
        report: FULL ? [1, 24, 48, 72] : report,
      });
      console.log(describeHourly(name, b));
      expect(b.origins).toBeGreaterThanOrEqual(FULL ? 100 : 10);
      expect(b.mase.model).toBeLessThan(b.mase.naive);
      expect(b.mase.model).toBeLessThan(b.mase.flat);
      if (!FULL) {
        const c = pooled(b);
        expect(c.cover80).toBeGreaterThan(70);
        expect(c.cover80).toBeLessThan(90);
        expect(c.cover95).toBeGreaterThan(88);
        expect(c.cover95).toBeLessThanOrEqual(99);
      }
    },
    600_000,
  );
});
